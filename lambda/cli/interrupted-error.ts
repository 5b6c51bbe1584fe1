/** Thrown when the user stopped a command with Ctrl-C and it ended cleanly; the CLI exits 130. */
export class InterruptedError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InterruptedError';
  }
}
