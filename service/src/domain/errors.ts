/** A rule of the domain was broken by the request; the HTTP layer maps `kind` to a 4xx status. */
export class DomainError extends Error {
  constructor(
    readonly kind: 'not_found' | 'conflict' | 'invalid' | 'forbidden' | 'closed',
    message: string,
    readonly code: string,
    readonly errors: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} was not found.`, `${what.toLowerCase()}_not_found`);
