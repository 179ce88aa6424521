/** A Python exception raised by a ported Python function; `message` is `str(exception)`, `kind` its class name. */
export class PyError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
    this.name = kind;
  }
}
