// Placeholder until the lab lands: the lab's global setup starts every real server once per run.
export default function setup() {}
