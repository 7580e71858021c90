/**
 * Every mathjs sandbox escape we know of, sent through a real MCP client: the expressions of mathjs's own security
 * suite (issues #821 and #822, the 2017 CVEs, the 2024 fixes of PR #3255) and the two advisories fixed in 15.2.0
 * (GHSA-5v89-rwgr-qj6g, an unchecked matrix index; GHSA-29qv-4j9f-fjw5, property writes on arrays), plus host
 * globals, prototype keys and function stringification. The JavaScript they try to run would write a canary file;
 * each must come back as an isError result, and the canary must never appear.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConnectedPack, connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mathPack } from '../pack.js';
import type { MathServices } from '../services.js';

let dir: string;
let canary: string;
let conn: ConnectedPack<MathServices>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-packs-math-'));
  canary = join(dir, 'pwned');
  conn = await connectPack(mathPack, { config: { timeoutMs: 5000 }, logSink: () => {} });
});

afterAll(async () => {
  await conn.close();
  await rm(dir, { recursive: true, force: true });
});

/** JavaScript that, if it ever ran, would leave the canary file behind. */
const js = () => `process.getBuiltinModule('fs').writeFileSync('${canary}', 'pwned')`;

const ESCAPES: [string, () => string][] = [
  ['Function via [].map.constructor', () => `f=[].map.constructor("${js()}"); f()`],
  ['Function via sqrt.constructor', () => `f=sqrt.constructor("${js()}"); f()`],
  ['Function via constructor.call', () => `f=[].map.constructor.call(null, "${js()}"); f()`],
  ['Function via constructor.apply', () => `f=[].map.constructor.apply(null, ["${js()}"]); f()`],
  ['constructor of a class', () => '[].constructor()'],
  ['bare constructor', () => 'constructor'],
  ['bare toString', () => 'toString'],
  ['constructor by string index', () => `f=[].map["constructor"]("${js()}"); f()`],
  ['constructor by variable', () => `prop="constructor"; f=[].map[prop]("${js()}"); f()`],
  ['constructor by concat', () => `f=[].map[concat("constr", "uctor")]("${js()}"); f()`],
  ['constructor by unicode escape', () => `f=[].map["\\u0063onstructor"]("${js()}"); f()`],
  ['constructor.bind', () => `f=[].map.constructor.bind()("${js()}"); f()`],
  [
    'map over _data with cos.constructor',
    () =>
      `["//","a/*\\nreturn process.mainModule.require"]._data.map(cos.constructor)[1]()("child_process").execSync("ps >&2")`,
  ],
  [
    'Object.assign on Function',
    () =>
      `{}.constructor.assign(cos.constructor, {binding: cos.bind})\n{}.constructor.assign(cos.constructor, {bind: null})\nf=cos.constructor.binding()("${js()}")\nf()`,
  ],
  ['unicode-disguised property read', () => 'a = {b: 1}; a["co\\u006Estructor"]'],
  ['unicode-disguised property write', () => 'a = {b: 1}; a["co\\u006Estructor"] = 2'],
  ['unicode-disguised object key', () => 'a = {"co\\u006Estructor": 2}'],
  ['import overriding matrix', () => `import({matrix:cos.constructor},{override:1});x=["${js()}"];x()`],
  ['index retrieval with a fake range', () => `a=["${js()}"]._data;a.isRange=true;x={subset:cos.constructor}[a];x()`],
  [
    'parser and getOwnPropertyDescriptor',
    () =>
      `p = parser()\np.evaluate("", [])\no = p.get("constructor")\nc = o.getOwnPropertyDescriptor(o.__proto__, "constructor")\nf = c.value("${js()}")\nf()`,
  ],
  [
    'descriptor through evaluate',
    () =>
      `O = {}.constructor\nd = O.getOwnPropertyDescriptor(O.__proto__, "constructor")\nf = evaluate("value", d)("${js()}")\nf()`,
  ],
  ['object literal with hasOwnProperty', () => '{hasOwnProperty: 2}'],
  ['object literal with constructor', () => '{constructor: 2}'],
  ['object literal with toString', () => '{toString: 2}'],
  [
    'AssignmentNode prototype _compile',
    () =>
      `{}.constructor.assign(expression.node.AssignmentNode.prototype, {_compile: "".toString.bind("${js()}")})\nevaluate("a = 2")`,
  ],
  [
    '__defineGetter__ on a node prototype',
    () =>
      `expression.node.AssignmentNode.prototype.__defineGetter__("_compile", {}.valueOf.bind("".toString.bind("${js()}"))); evaluate("a = 2")`,
  ],
  [
    'custom compiled SymbolNode',
    () =>
      `s={};s.__proto__=expression.node.SymbolNode["prototype"];expression.node.SymbolNode.apply(s,["\\");},\\"exec\\":function(a){return global.eval}};//"]._data);s.compile().exec()("${js()}")`,
  ],
  [
    'parse and rename a node',
    () =>
      `x=parse("cos");x.name = "\\");},\\"evaluate\\": function(a) {return global.eval}};//a"; x.compile().evaluate()("${js()}")`,
  ],
  [
    'parse and retype an index',
    () => `p = parse("{}[\\"${js()}\\"]"); p.index.dimensions["0"].valueType = "boolean"; p.evaluate()`,
  ],
  [
    'function.syntax',
    () =>
      `cos.syntax="global.eval";s=unit("5 cm");s.units=[]._data;s.value=cos;s._compile=s.toString;expression.node.Node.prototype.compile.call(s).evaluate()("${js()}")`,
  ],
  [
    'ConstantNode clone',
    () => `expression.node.ConstantNode.prototype.clone.call({"value":"evaluate"}).evaluate()("${js()}")`,
  ],
  ['replace _compile', () => `c(x,y)="${js()}";expression.node.Node.prototype.compile.apply({_compile:c}).evaluate()`],
  [
    'subset with a fake index',
    () =>
      `f()=false;g()={length:3};h()={"0":0,"1":0,"2":0};j(x)=[x("constructor")];k(x)={map:j};i={isIndex:true,isScalar:f,size:g,min:h,max:h,dimension:k};f=subset(subset([[[0]]],i),index(1,1,1))("${js()}");f()`,
  ],
  ['index.dimension("__proto__")', () => 'a=index([0,1]);b=a.dimension("__proto__");b'],
  [
    'setter through evaluate',
    () =>
      `scope={}; setter = evaluate("f(obj, name, newValue, assign) = (obj[name] = newValue)", scope); o = parse("1"); setter(o, "value", "evaluate", subset); scope.obj.compile().evaluate()("${js()}")`,
  ],
  ['subset on a parsed node', () => `subset(parse("1"), index("value"), "evaluate").compile().evaluate()("${js()}")`],
  [
    'fake node through node.map',
    () =>
      `badValue = {"isNode": true, "_compile": evaluate("f(a, b) = \\"evaluate\\"")}; x = evaluate("f(child, path, parent) = path ==\\"value\\" ? newChild : child", {"newChild": badValue}); parse("x = 1").map(x).compile().evaluate()("${js()}")`,
  ],
  [
    'local validateSafeMethod',
    () => `evaluate("f(validateSafeMethod)=cos.constructor(\\"return evaluate\\")()")(evaluate("f(x,y)=0"))("${js()}")`,
  ],
  [
    'abuse toString of a fake node',
    () =>
      `badToString = evaluate("f() = 1"); badReplace = evaluate("f(a, b) = \\"evaluate\\""); badNumber = {toString:badToString, replace:badReplace}; badNode = {"isNode": true, "type": "ConstantNode", "valueType": "number", "value": badNumber}; x = evaluate("f(child, path, parent) = badNode", {badNode:badNode}); parse("(1)").map(x).compile().evaluate()("${js()}")`,
  ],
  [
    'fake ConstantNode',
    () =>
      `f(x,y)="evaluate";g()=3;fakeConstantNode={"isNode": true, "type": "ConstantNode", "valueType": "number", "value": {"replace": f, "toString": g}};injectFakeConstantNode(child,path,parent)=path=="value"?fakeConstantNode:child;parse("a=3").map(injectFakeConstantNode).compile().evaluate()("${js()}")`,
  ],
  [
    'fake ArrayNode',
    () =>
      `g(x)="evaluate";f(x)=({join: g});fakeArrayNode={isNode: true, type: "ArrayNode", items: {map: f}};injectFakeArrayNode(child,path,parent)=path=="value"?fakeArrayNode:child;parse("a=3").map(injectFakeArrayNode).compile().evaluate()[1]("${js()}")`,
  ],
  [
    'fake OperatorNode',
    () =>
      `parse("(0)").map(evaluate("f(a,b,c)=d",{d:{isNode:true,type:"OperatorNode",fn:"__lookupGetter__",args:{map:evaluate("f(a)=b",{b:{join:evaluate("f(a)=\\"1)||evaluate;}};//\\"")}})}}})).compile().evaluate()("${js()}")`,
  ],
  [
    'unescape escaped quotes',
    () =>
      `x=parse("\\"a\\"");x.__defineGetter__("value",evaluate("f()=\\"false\\\\\\\\\\\\\\\\\\\\\\"&&evaluate;}};\\/\\/\\"")); x.compile().evaluate()("${js()}")`,
  ],
  ['chain and typed', () => `f=chain("a(){return evaluate;};function b").typed({"":f()=0}).done();g=f();g("${js()}")`],
  [
    'chain().create()',
    () =>
      `evilMath=chain().create().done();evilMath.import({"_compile":f(a,b,c)="evaluate","isNode":f()=true}); parse("(1)").map(g(a,b,c)=evilMath.chain()).compile().evaluate()("${js()}")`,
  ],
  [
    'Chain as a custom node',
    () =>
      `x=parse("a",{nodes:{a:Chain}});Chain.bind(x,{})();evilMath=x.create().done();evilMath.import({"_compile":f(a,b,c)="evaluate","isNode":f()=true}); parse("(1)").map(g(a,b,c)=evilMath.chain()).compile().evaluate()("${js()}")`,
  ],
  ['code in a function name (array)', () => '[]["(){}+process.exit(1);function a"]()=0'],
  ['code in a function name (object)', () => '{}["(){}+process.exit(1);function a"]()=0'],
  ['unit valueOf', () => 'unit("5cm").valueOf'],
  ['_data of an array', () => '[]._data'],
  ['__proto__ of an object', () => '{}.__proto__'],
  [
    'FunctionNode _compile',
    () => `evalFunctionNode=parse("constructor('${js()}')")._compile({},{});f=evalFunctionNode(null,cos);f()`,
  ],
  ['config prototype pollution', () => 'config({"__proto__":{"polluted":"yes"}})'],
  ['object literal prototype pollution', () => 'a = {"__proto__":{"polluted":"yes"}}'],
  ['reviver (PR #3255)', () => 'reviver("x", {"mathjs": "Unit", "value": 1, "unit": "cm"})'],
  ['createUnit (PR #3255)', () => 'createUnit("evil", "1 m")'],
  ['array property write (GHSA-29qv-4j9f-fjw5)', () => 'a = [1, 2]; a.map = f(x) = x; a'],
  ['array property write by index (GHSA-29qv-4j9f-fjw5)', () => 'a = [1, 2]; a["map"] = 1'],
  ['array method read (GHSA-29qv-4j9f-fjw5)', () => 'a = [1, 2]; b = a["map"]'],
  [
    'matrix get with a fake index (GHSA-5v89-rwgr-qj6g)',
    () => `r(a, b) = "constructor"; m = matrix([1]); m.get({length: 1, reduce: r})("${js()}")`,
  ],
  [
    'subset with an object index (GHSA-5v89-rwgr-qj6g)',
    () => 'subset(matrix([1, 2]), {length: 1, reduce: f(a, b) = "constructor"})',
  ],
  ['evaluate', () => 'evaluate("1 + 1")'],
  ['parse', () => 'parse("1 + 1")'],
  ['compile', () => 'compile("1 + 1")'],
  ['simplify inside an expression', () => 'simplify("x + x")'],
  ['derivative inside an expression', () => 'derivative("x^2", "x")'],
  ['resolve', () => 'resolve("x", {x: 1})'],
  ['typed', () => `typed("(){}+${js()};function a", {"": f() = 0})`],
  ['help', () => 'help("sqrt")'],
  ['disabled function by alias', () => 'g = evaluate; g("1")'],
  ['host globals', () => 'process'],
  ['globalThis', () => 'globalThis'],
  ['require', () => 'require("fs")'],
  ['Function', () => `Function("${js()}")()`],
  ['eval', () => 'eval("1")'],
  ['this', () => 'this'],
  ['prototype as a variable', () => 'prototype = 1'],
  ['constructor as a parameter', () => 'f(constructor) = 1'],
  ['stringify a built-in function', () => 'string(sqrt)'],
  ['stringify a user function', () => 'f(x) = x^2; string(f)'],
  ['stringify functions in a matrix', () => 'string([sqrt, cos])'],
  ['format a function', () => 'format(sqrt)'],
  ['print a function', () => 'print("$f", {f: sqrt})'],
  ['return a function', () => 'sqrt'],
  ['return a function in a matrix', () => '[sqrt]'],
  ['return a function in an object', () => '{a: sqrt}'],
];

describe('sandbox escapes through math_evaluate', () => {
  it.each(ESCAPES)('%s is refused', async (_name, expression) => {
    const result = await conn.callTool('evaluate', { expression: expression() });
    expect(result.isError, resultText(result)).toBe(true);
    expect(['forbidden', 'syntax_error', 'evaluation_error', 'function_result']).toContain(errorCode(result));
    expect(existsSync(canary)).toBe(false);
  });

  it('the pack and the host are untouched afterwards', async () => {
    expect(existsSync(canary)).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(structured(await conn.callTool('evaluate', { expression: 'sqrt(16) + 1' }))).toMatchObject({ number: 5 });
  });

  it('a user function shadowing a raw-args function (PR #3255) is called as a plain function', async () => {
    const result = await conn.callTool('evaluate', { expression: `map = f(a, b) = b; map([1], "${js()}")` });
    expect(structured(result)).toMatchObject({ type: 'string', value: js() });
    expect(existsSync(canary)).toBe(false);
  });

  it('refuses dangerous scope keys before anything runs', async () => {
    for (const key of ['constructor', 'toString', 'hasOwnProperty', 'evaluate', '_data', 'sqrt']) {
      const result = await conn.callTool('evaluate', { expression: '1', scope: JSON.parse(`{"${key}": 1}`) });
      expect(result.isError, key).toBe(true);
    }
    // Input validation drops a "__proto__" key before the tool sees it: it never becomes a variable or a prototype.
    const result = await conn.callTool('evaluate', {
      expression: 'x',
      scope: JSON.parse('{"__proto__": {"polluted": 1}, "x": 1}'),
    });
    expect(structured(result)).toMatchObject({ number: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never evaluates scope strings as expressions', async () => {
    const result = await conn.callTool('evaluate', { expression: 'x', scope: { x: `evaluate("${js()}")` } });
    expect(result.isError).toBe(true);
    expect(errorCode(result)).toBe('invalid_scope');
  });

  it('refuses escapes through the other tools', async () => {
    const attempts: [string, Record<string, unknown>][] = [
      ['simplify', { expression: 'import({}, {})' }],
      ['simplify', { expression: 'x', rules: ['x -> evaluate("1")'] }],
      ['derivative', { expression: 'parse("x")', variable: 'x' }],
      ['derivative', { expression: 'x', variable: '__proto__' }],
      ['convert_units', { value: 'evaluate("5 cm")', to: 'inch' }],
      ['convert_units', { value: '5 cm', to: 'constructor' }],
      ['solve_linear', { A: [['evaluate("1")']], b: [1] }],
    ];
    for (const [tool, args] of attempts) {
      const result = await conn.callTool(tool, args);
      expect(result.isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
    }
    expect(existsSync(canary)).toBe(false);
  });
});
