import mongoose from 'mongoose';
import { replicaSetOptions } from '../../service/src/data/mongo';

/** What the driver makes of a connection string together with the product's options (nothing connects). */
function effective(uri: string) {
  const client = new mongoose.mongo.MongoClient(uri, replicaSetOptions(uri));
  return { w: client.options.writeConcern?.w, retryWrites: client.options.retryWrites, readPreference: client.options.readPreference.mode };
}

describe('MongoDB connection options for a replica set', () => {
  it('ask for majority writes, retryable writes and primary reads', () => {
    expect(effective('mongodb://mongo-0:27017,mongo-1:27017,mongo-2:27017/coaching?replicaSet=rs0')).toEqual({ w: 'majority', retryWrites: true, readPreference: 'primary' });
    expect(effective('mongodb://127.0.0.1:27027/coaching')).toEqual({ w: 'majority', retryWrites: true, readPreference: 'primary' });
  });

  it('leave retryable writes to a connection string that names them (Azure vCore says retrywrites=false)', () => {
    const uri = 'mongodb+srv://app:secret@example.mongocluster.cosmos.azure.com/coaching?tls=true&authMechanism=SCRAM-SHA-256&retrywrites=false&maxIdleTimeMS=120000';
    expect(effective(uri)).toEqual({ w: 'majority', retryWrites: false, readPreference: 'primary' });
  });

  it('leave the write concern to a connection string that names it', () => {
    expect(effective('mongodb://mongo-0:27017/coaching?replicaSet=rs0&w=2').w).toBe(2);
  });

  it('read from the primary whatever the connection string says, so a request sees what the last one wrote', () => {
    expect(effective('mongodb://mongo-0:27017,mongo-1:27017/coaching?replicaSet=rs0&readPreference=secondaryPreferred').readPreference).toBe('primary');
  });
});
