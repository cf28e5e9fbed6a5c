/** A target from the brief, with the measured figure it was judged on (suites produce them, the report shows them). */
export interface Target {
  label: string;
  figure: string;
  met: boolean;
  /** The command that reproduces the figure. */
  command?: string;
}
