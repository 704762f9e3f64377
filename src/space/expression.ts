/**
 * A tiny, safe arithmetic language for constraints such as `replicas * cpus <= host_cores` or
 * `intra_op_threads <= ceil(cpus)`: numbers, names, + - * / and parentheses, ceil/floor/round/abs/min/max,
 * and one comparison. Parsed by recursive descent into a tree and evaluated by walking it; never eval.
 */
export type Expression =
  | { type: 'number'; value: number }
  | { type: 'name'; name: string }
  | { type: 'negate'; operand: Expression }
  | { type: 'binary'; operator: '+' | '-' | '*' | '/'; left: Expression; right: Expression }
  | { type: 'call'; fn: FunctionName; args: Expression[] };

export type Comparator = '<=' | '<' | '>=' | '>' | '==' | '!=';
export interface Comparison {
  comparator: Comparator;
  left: Expression;
  right: Expression;
}

export type ParsedComparison = { ok: true; comparison: Comparison } | { ok: false; message: string };

const FUNCTIONS = {
  ceil: { arity: [1, 1], apply: (args: number[]) => Math.ceil(args[0] as number) },
  floor: { arity: [1, 1], apply: (args: number[]) => Math.floor(args[0] as number) },
  round: { arity: [1, 1], apply: (args: number[]) => Math.round(args[0] as number) },
  abs: { arity: [1, 1], apply: (args: number[]) => Math.abs(args[0] as number) },
  min: { arity: [1, Infinity], apply: (args: number[]) => Math.min(...args) },
  max: { arity: [1, Infinity], apply: (args: number[]) => Math.max(...args) },
} as const;
type FunctionName = keyof typeof FUNCTIONS;

const COMPARATORS: readonly Comparator[] = ['<=', '>=', '==', '!=', '<', '>'];
const TOKEN = /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(<=|>=|==|!=|[-+*/(),<>]))/y;

type Token = { kind: 'number'; value: number } | { kind: 'name'; name: string } | { kind: 'symbol'; symbol: string };

class SyntaxProblem extends Error {}

/** Far beyond any real constraint; bounds the recursion of the parser and of evaluation. */
const MAX_SOURCE_LENGTH = 1000;

export function parseComparison(source: string): ParsedComparison {
  if (source.length > MAX_SOURCE_LENGTH) return { ok: false, message: `longer than ${MAX_SOURCE_LENGTH} characters` };
  try {
    const parser = new Parser(tokenize(source));
    const comparison = parser.comparison();
    parser.expectEnd();
    return { ok: true, comparison };
  } catch (error) {
    if (error instanceof SyntaxProblem) return { ok: false, message: error.message };
    throw error;
  }
}

/** Every name the comparison reads, in order of first appearance. */
export function namesIn(comparison: Comparison): string[] {
  const names = new Set<string>();
  const visit = (node: Expression): void => {
    if (node.type === 'name') names.add(node.name);
    else if (node.type === 'negate') visit(node.operand);
    else if (node.type === 'binary') [node.left, node.right].forEach(visit);
    else if (node.type === 'call') node.args.forEach(visit);
  };
  visit(comparison.left);
  visit(comparison.right);
  return [...names];
}

export function holds(comparison: Comparison, values: Readonly<Record<string, number>>): boolean {
  const left = evaluate(comparison.left, values);
  const right = evaluate(comparison.right, values);
  switch (comparison.comparator) {
    case '<=': return left <= right;
    case '<': return left < right;
    case '>=': return left >= right;
    case '>': return left > right;
    case '==': return left === right;
    case '!=': return left !== right;
  }
}

export function evaluate(node: Expression, values: Readonly<Record<string, number>>): number {
  switch (node.type) {
    case 'number': return node.value;
    case 'name': {
      const value = values[node.name];
      if (value === undefined) throw new Error(`no value for "${node.name}"`); // parse-time checks rule this out
      return value;
    }
    case 'negate': return -evaluate(node.operand, values);
    case 'call': return FUNCTIONS[node.fn].apply(node.args.map((arg) => evaluate(arg, values)));
    case 'binary': {
      const left = evaluate(node.left, values);
      const right = evaluate(node.right, values);
      if (node.operator === '+') return left + right;
      if (node.operator === '-') return left - right;
      if (node.operator === '*') return left * right;
      return left / right;
    }
  }
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    const rest = source.slice(TOKEN.lastIndex);
    if (rest.trim() === '') break;
    const at = TOKEN.lastIndex + (rest.length - rest.trimStart().length);
    const match = TOKEN.exec(source);
    if (match === null) throw new SyntaxProblem(`unexpected "${source[at]}" at position ${at + 1}`);
    if (match[1] !== undefined) tokens.push({ kind: 'number', value: Number(match[1]) });
    else if (match[2] !== undefined) tokens.push({ kind: 'name', name: match[2] });
    else tokens.push({ kind: 'symbol', symbol: match[3] as string });
  }
  return tokens;
}

class Parser {
  private position = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  comparison(): Comparison {
    const left = this.sum();
    const token = this.peek();
    const comparator = token?.kind === 'symbol' ? COMPARATORS.find((c) => c === token.symbol) : undefined;
    if (comparator === undefined) throw new SyntaxProblem('expected a comparison such as <= between two expressions');
    this.position++;
    return { comparator, left, right: this.sum() };
  }

  expectEnd(): void {
    const token = this.peek();
    if (token !== undefined) throw new SyntaxProblem(`unexpected ${describe(token)} after the comparison`);
  }

  private sum(): Expression {
    let node = this.product();
    for (let op = this.symbolIn(['+', '-']); op !== undefined; op = this.symbolIn(['+', '-'])) {
      node = { type: 'binary', operator: op as '+' | '-', left: node, right: this.product() };
    }
    return node;
  }

  private product(): Expression {
    let node = this.unary();
    for (let op = this.symbolIn(['*', '/']); op !== undefined; op = this.symbolIn(['*', '/'])) {
      node = { type: 'binary', operator: op as '*' | '/', left: node, right: this.unary() };
    }
    return node;
  }

  private unary(): Expression {
    if (this.symbolIn(['-']) !== undefined) return { type: 'negate', operand: this.unary() };
    if (this.symbolIn(['+']) !== undefined) return this.unary();
    return this.primary();
  }

  private primary(): Expression {
    const token = this.tokens[this.position++];
    if (token === undefined) throw new SyntaxProblem('the expression ends too early');
    if (token.kind === 'number') return { type: 'number', value: token.value };
    if (token.kind === 'name') return this.symbolIn(['(']) === undefined ? { type: 'name', name: token.name } : this.call(token.name);
    if (token.symbol === '(') {
      const inner = this.sum();
      this.expect(')');
      return inner;
    }
    throw new SyntaxProblem(`unexpected ${describe(token)}`);
  }

  private call(name: string): Expression {
    if (!Object.hasOwn(FUNCTIONS, name)) {
      throw new SyntaxProblem(`unknown function "${name}" (known: ${Object.keys(FUNCTIONS).join(', ')})`);
    }
    const fn = name as FunctionName;
    const args = [this.sum()];
    while (this.symbolIn([',']) !== undefined) args.push(this.sum());
    this.expect(')');
    const [fewest, most] = FUNCTIONS[fn].arity;
    if (args.length < fewest || args.length > most) throw new SyntaxProblem(`${fn}() takes ${fewest === most ? fewest : `${fewest} or more`} argument(s), got ${args.length}`);
    return { type: 'call', fn, args };
  }

  private expect(symbol: string): void {
    if (this.symbolIn([symbol]) === undefined) {
      const token = this.peek();
      throw new SyntaxProblem(`expected "${symbol}" but found ${token === undefined ? 'the end' : describe(token)}`);
    }
  }

  private symbolIn(symbols: readonly string[]): string | undefined {
    const token = this.peek();
    if (token?.kind !== 'symbol' || !symbols.includes(token.symbol)) return undefined;
    this.position++;
    return token.symbol;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }
}

function describe(token: Token): string {
  if (token.kind === 'number') return `number ${token.value}`;
  if (token.kind === 'name') return `name "${token.name}"`;
  return `"${token.symbol}"`;
}
