/**
 * Whether output to a stream may carry ANSI colours: only on a terminal, and never with `NO_COLOR`
 * (https://no-color.org) or `CI` set (CI logs keep the raw codes).
 */
export function colourWanted(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.CI !== undefined && env.CI !== '' && env.CI !== 'false') return false;
  return stream.isTTY === true;
}
