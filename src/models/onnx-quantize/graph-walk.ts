/**
 * Walking a decoded graph and its subgraphs (If/Loop/Scan bodies), and handing out names no value,
 * node or initializer anywhere in the model already has.
 */
import type { AttributeMsg, GraphMsg, NodeMsg } from './onnx-proto.ts';

export function subgraphs(node: NodeMsg): GraphMsg[] {
  return (node.attribute ?? []).flatMap((a: AttributeMsg) => [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]);
}

/** Every node of the graph and of the graphs nested in it, outermost first. */
export function allNodes(graph: GraphMsg): NodeMsg[] {
  return (graph.node ?? []).flatMap((n) => [n, ...subgraphs(n).flatMap(allNodes)]);
}

/** Names the nested graphs of `graph` read (some may be their own values; enough to know what is still used). */
export function namesReadInSubgraphs(graph: GraphMsg): Set<string> {
  const names = new Set<string>();
  for (const node of graph.node ?? []) {
    for (const sub of subgraphs(node)) for (const n of allNodes(sub)) for (const input of n.input ?? []) names.add(input);
    for (const sub of subgraphs(node)) for (const o of sub.output ?? []) if (o.name) names.add(o.name);
  }
  return names;
}

export class NameScope {
  private readonly taken = new Set<string>();

  constructor(graph: GraphMsg) {
    this.collect(graph);
  }

  /** `base`, or `base_2`, `base_3`… whichever is free; the name is taken from then on. */
  fresh(base: string): string {
    let name = base;
    for (let i = 2; this.taken.has(name); i++) name = `${base}_${i}`;
    this.taken.add(name);
    return name;
  }

  private collect(graph: GraphMsg): void {
    const add = (name: string | undefined) => name && this.taken.add(name);
    for (const t of graph.initializer ?? []) add(t.name);
    for (const s of graph.sparseInitializer ?? []) add(s.values?.name);
    for (const v of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])]) add(v.name);
    for (const node of graph.node ?? []) {
      add(node.name);
      for (const name of [...(node.input ?? []), ...(node.output ?? [])]) add(name);
      for (const sub of subgraphs(node)) this.collect(sub);
    }
  }
}
