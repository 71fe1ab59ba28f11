import type { Language } from './locale';
import { en, type Messages } from './messages/en';

/** Typed message ids: `<FormattedMessage id>` and `formatMessage({ id })` only take ids English has. */
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace FormatjsIntl {
    interface Message {
      ids: keyof Messages;
    }
  }
}

export type { MessageId, Messages } from './messages/en';

/** English ships with the first screen; other languages are a chunk each, loaded only when chosen. */
export function loadMessages(language: Language): Promise<Messages> {
  switch (language) {
    case 'en':
      return Promise.resolve(en);
    case 'de':
      return import('./messages/de').then((m) => m.de);
  }
}

export const englishMessages: Messages = en;
