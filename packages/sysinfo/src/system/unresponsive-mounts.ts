const QUIET_MS = 60_000;

/** Remembers filesystems that did not answer, so later calls do not pile more blocked threads on them. */
export class UnresponsiveMounts {
  readonly #until = new Map<string, number>();

  has(mountPoint: string, now = Date.now()): boolean {
    const until = this.#until.get(mountPoint);
    if (until === undefined) return false;
    if (until > now) return true;
    this.#until.delete(mountPoint);
    return false;
  }

  add(mountPoint: string, now = Date.now()): void {
    this.#until.set(mountPoint, now + QUIET_MS);
  }
}
