// Ctrl-C during a long run: the first SIGINT asks the loop to stop after its current step (so the
// outputs are still written); a second one exits at once, as a user pressing it twice expects.

export async function untilInterrupted<T>(run: (signal: { aborted: boolean }) => Promise<T>, onFirst?: () => void): Promise<T> {
  const signal = { aborted: false };
  const handler = () => {
    if (signal.aborted) process.exit(130);
    signal.aborted = true;
    onFirst?.();
  };
  process.on('SIGINT', handler);
  try {
    return await run(signal);
  } finally {
    process.off('SIGINT', handler);
  }
}
