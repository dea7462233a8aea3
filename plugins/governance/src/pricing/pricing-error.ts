/** Thrown when price config or a price sheet is malformed; `path` names the offending field. */
export class InvalidPricingError extends Error {
  readonly path: string;

  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'InvalidPricingError';
    this.path = path;
  }
}
