/**
 * Refusals a person can act on. Services throw these; one place (src/http/errors.ts) maps them to
 * the JSON error shape `{detail, error_code, ...extra}`.
 */
export class DomainError extends Error {
  readonly status: number;
  readonly errorCode: string;
  /** Extra fields merged into the error body (e.g. `reasons` for a refused redemption). */
  readonly extra: Record<string, unknown>;

  constructor(status: number, errorCode: string, detail: string, extra: Record<string, unknown> = {}) {
    super(detail);
    this.name = new.target.name;
    this.status = status;
    this.errorCode = errorCode;
    this.extra = extra;
  }
}

export class ValidationFailed extends DomainError {
  readonly errors: Record<string, string[]>;

  constructor(detail: string, errors: Record<string, string[]> = {}, errorCode = 'validation_failed') {
    super(400, errorCode, detail, { errors });
    this.errors = errors;
  }

  /** One invalid field: `ValidationFailed.field('end', 'must be after start')`. */
  static field(field: string, message: string, errorCode = 'validation_failed'): ValidationFailed {
    return new ValidationFailed(`${field}: ${message}`, { [field]: [message] }, errorCode);
  }
}

export class NotAuthenticated extends DomainError {
  constructor(detail = 'Authentication credentials were not provided.', errorCode = 'not_authenticated') {
    super(401, errorCode, detail);
  }
}

export class Forbidden extends DomainError {
  constructor(detail = 'You do not have permission to perform this action.', errorCode = 'forbidden') {
    super(403, errorCode, detail);
  }
}

export class NotFound extends DomainError {
  constructor(detail = 'Not found.', errorCode = 'not_found') {
    super(404, errorCode, detail);
  }
}

export class Conflict extends DomainError {
  constructor(detail: string, errorCode = 'conflict', extra: Record<string, unknown> = {}) {
    super(409, errorCode, detail, extra);
  }
}

/** A well-formed request that a business rule refuses (over budget, expired, not eligible, ...). */
export class BusinessRule extends DomainError {
  constructor(errorCode: string, detail: string, extra: Record<string, unknown> = {}) {
    super(422, errorCode, detail, extra);
  }
}

export class ServiceUnavailable extends DomainError {
  constructor(detail: string, errorCode = 'service_unavailable') {
    super(503, errorCode, detail);
  }
}
