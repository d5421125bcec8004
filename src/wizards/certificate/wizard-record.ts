// What the certificate wizard did, in order, and the files it wrote: the summary the last step shows. Kept apart
// from the steps so each step only says what happened and the summary never guesses.

export interface WrittenFile {
  readonly path: string;
  /** What the file holds, e.g. "Tenant CA certificate (DER, .cer)". */
  readonly description: string;
}

export interface WizardSummary {
  readonly actions: readonly string[];
  readonly files: readonly WrittenFile[];
}

export class WizardRecord {
  private readonly actions: string[] = [];
  private readonly files: WrittenFile[] = [];

  action(text: string): void {
    this.actions.push(text);
  }

  /** A file written; writing the same path again replaces the earlier entry (the file was overwritten). */
  file(path: string, description: string): void {
    const at = this.files.findIndex((f) => f.path === path);
    if (at >= 0) this.files.splice(at, 1);
    this.files.push({ path, description });
  }

  summary(): WizardSummary {
    return { actions: [...this.actions], files: [...this.files] };
  }
}
