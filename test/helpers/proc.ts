/** A thread's nice value from its /proc stat line (field 19; Linux). */
export function niceOf(stat: string): number {
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
}
