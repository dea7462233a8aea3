/** The closed set of ways a store operation fails. */
export const storeErrorCodes = [
  /** A unique constraint refused the write: `field` names the value already taken. */
  'conflict',
  /** A referenced row (a team, a customer, a budget) does not exist: `field` names the reference. */
  'invalid_reference',
  /** A check constraint refused the row, such as a virtual key attached to both a team and a customer. */
  'constraint_violated',
  /** A paging cursor this store did not issue. */
  'invalid_cursor',
  /** The database cannot be reached or is shutting down; the caller decides to fail open or closed. */
  'unavailable',
  /** A migration failed; the store did not open. */
  'migration_failed',
  /** Anything else the database reported. */
  'internal',
] as const;

/** One of {@link storeErrorCodes}. */
export type StoreErrorCode = (typeof storeErrorCodes)[number];

/** Options every store error accepts. */
export interface StoreErrorOptions {
  /** The column or input field at fault, where there is one. */
  field?: string;
  /** The constraint the database named. */
  constraint?: string;
  /** The error the driver threw. */
  cause?: unknown;
}

/** The base of every error the store throws: a closed `code`, the field at fault, and the driver's error as `cause`. */
export class StoreError extends Error {
  override readonly name: string = 'StoreError';
  readonly code: StoreErrorCode;
  readonly field: string | undefined;
  readonly constraint: string | undefined;

  constructor(code: StoreErrorCode, message: string, options: StoreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.constraint = options.constraint;
  }
}

/** A unique value is already taken, such as a second virtual key with the same name. */
export class StoreConflictError extends StoreError {
  override readonly name = 'StoreConflictError';
  /** The field whose value is taken. */
  declare readonly field: string;

  constructor(field: string, options: Omit<StoreErrorOptions, 'field'> = {}) {
    super('conflict', `${field} is already taken`, { ...options, field });
  }
}

/** The database cannot be reached: a named mode the caller handles (fail open or closed), never a crash. */
export class StoreUnavailableError extends StoreError {
  override readonly name = 'StoreUnavailableError';

  constructor(message: string, options: Omit<StoreErrorOptions, 'field'> = {}) {
    super('unavailable', message, options);
  }
}
