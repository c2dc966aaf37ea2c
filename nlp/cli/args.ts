export class UsageError extends Error {
  override name = 'UsageError';
}

export interface Args {
  flags: Set<string>;
  value(name: string): string | undefined;
  number(name: string): number | undefined;
  list(name: string): string[];
}

/**
 * `--name value`, `--name=value`, boolean `--flag`, and list options that take every
 * following word up to the next option (`--train a.jsonl b.jsonl`), so a shell glob
 * works after them.
 */
export function parseArgs(argv: readonly string[], spec: { lists: string[]; flags: string[]; values: string[] }): Args {
  const values = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (spec.flags.includes(name)) {
      flags.add(name);
    } else if (spec.lists.includes(name)) {
      const list = lists.get(name) ?? [];
      if (inline !== undefined) list.push(...inline.split(',').filter(Boolean));
      while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) list.push(argv[++i]);
      lists.set(name, list);
    } else if (!spec.values.includes(name)) {
      throw new UsageError(`unknown option --${name}`);
    } else if (inline !== undefined) {
      values.set(name, inline);
    } else {
      if (i + 1 >= argv.length || argv[i + 1].startsWith('--')) throw new UsageError(`--${name} needs a value`);
      values.set(name, argv[++i]);
    }
  }
  return {
    flags,
    value: (name) => values.get(name),
    number(name) {
      const raw = values.get(name);
      if (raw === undefined) return undefined;
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got ${raw}`);
      return n;
    },
    list: (name) => lists.get(name) ?? [],
  };
}
