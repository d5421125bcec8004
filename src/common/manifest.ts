// Reads what the extension's own package.json contributes, so titles are written once (in the manifest).

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

export function commandTitles(packageJSON: unknown): (id: string) => string {
  const commands = ((packageJSON as { contributes?: { commands?: ContributedCommand[] } }).contributes?.commands ?? []);
  const titles = new Map(commands.map((c) => [c.command, c.category ? `${c.category}: ${c.title}` : c.title]));
  return (id) => titles.get(id) ?? id;
}
