import { ParecodeError } from "../core/errors.js";

/** A plan that cannot be made, read or resumed; the message names what to do. Exit 1. */
export class PlanError extends ParecodeError {
  constructor(message: string) {
    super(message, 1);
  }
}
