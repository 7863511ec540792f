/**
 * A function's answers kept by their key, for lookups asked thousands of times
 * about the same few texts (address blocks, addresses). Bounded: once `max`
 * answers are kept the cache starts over, so a list from outside (an
 * operator's file, a complaint) cannot grow it without end. Null answers are
 * kept like any other.
 */
export function boundedMemo<V>(compute: (key: string) => V, max = 4096): (key: string) => V {
  const answers = new Map<string, V>();
  return (key) => {
    if (answers.has(key)) return answers.get(key) as V;
    const value = compute(key);
    if (answers.size >= max) answers.clear();
    answers.set(key, value);
    return value;
  };
}
