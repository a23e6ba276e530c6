import { describe, expect, it } from "vitest";
import { extractSymbols } from "./extract.js";
import type { FileSymbol } from "./types.js";

/** `kind parent.name@line` per symbol: compact, and the whole shape is asserted at once. */
const brief = (symbols: FileSymbol[]) =>
  symbols.map((s) => `${s.kind} ${s.parent ? `${s.parent}.` : ""}${s.name}@${s.line}`);

const TS = `import { x } from "y";

export interface Options {
  name: string;
}

export type Id = string | number;

export enum Color {
  Red,
  Green,
}

export class Cart extends Base {
  private items: string[] = [];
  constructor(private readonly id: Id) {
    super();
  }
  add(item: string): void {
    function local() {}
    this.items.push(item);
  }
  onClick = (event: Event) => {};
}

export const makeCart = async (id: Id) => new Cart(id);
export const LIMIT = 10;
const helper = () => 1;

export function checkout(cart: Cart): number {
  const inner = () => 2;
  return inner();
}
`;

const PYTHON = `import os

class Animal(Base):
    def __init__(self, name):
        self.name = name

    @property
    def speak(self):
        def inner():
            pass
        return inner

def top_level(a):
    return a

async def _fetch():
    pass
`;

const GO = `package shop

type Server struct {
\taddr string
}

type Handler interface {
\tServe() error
}

func NewServer(addr string) *Server {
\treturn &Server{addr: addr}
}

func (s *Server) Start() error {
\tf := func() {}
\tf()
\treturn nil
}
`;

const RUST = `use std::fmt;

pub struct Point {
    x: i64,
}

pub enum Shape {
    Circle,
}

pub trait Draw {
    fn draw(&self);
}

impl Point {
    pub fn new(x: i64) -> Self {
        Point { x }
    }
}

impl Draw for Point {
    fn draw(&self) {}
}

fn main() {
    let c = |x: i64| x + 1;
}
`;

const JAVA = `package shop;

public class Shop {
    private int total;

    public Shop(int total) {
        this.total = total;
    }

    public int buy(String item) {
        Runnable r = () -> {};
        return total;
    }
}

interface Payable {
    void pay(int amount);
}
`;

const C = `#include <stdio.h>

typedef struct {
    int x;
} Point;

struct Node {
    struct Node *next;
};

int add(int a, int b);

int add(int a, int b) {
    return a + b;
}
`;

const CPP = `#include <vector>

class Shape {
 public:
  Shape();
  double area() const;
};

struct Vec {
  double x;
};

double Shape::area() const {
  return 0;
}

int main() {
  return 0;
}
`;

describe("extractSymbols with tree-sitter", () => {
  it("finds TypeScript classes, methods, interfaces, types, enums, arrow consts and functions", async () => {
    const symbols = await extractSymbols("src/cart.ts", TS);
    expect(brief(symbols)).toEqual([
      "interface Options@3",
      "type Id@7",
      "enum Color@9",
      "class Cart@14",
      "method Cart.constructor@16",
      "method Cart.add@19",
      "method Cart.onClick@23",
      "function makeCart@26",
      "const LIMIT@27",
      "function helper@28",
      "function checkout@30",
    ]);
    const cart = symbols.find((s) => s.name === "Cart");
    expect(cart).toMatchObject({ endLine: 24, exported: true });
    expect(symbols.find((s) => s.name === "helper")?.exported).toBe(false);
  });

  it("parses TSX", async () => {
    const source = `export function App() {\n  return <div className="x">hi</div>;\n}\nexport const Button = ({ label }: { label: string }) => <button>{label}</button>;\n`;
    expect(brief(await extractSymbols("App.tsx", source))).toEqual(["function App@1", "function Button@4"]);
  });

  it("parses JavaScript", async () => {
    const source = `export class Store {\n  get(key) {\n    return key;\n  }\n}\nfunction load() {}\nconst save = () => {};\n`;
    expect(brief(await extractSymbols("store.mjs", source))).toEqual([
      "class Store@1",
      "method Store.get@2",
      "function load@6",
      "function save@7",
    ]);
  });

  it("parses Python classes, defs and methods, not nested functions", async () => {
    expect(brief(await extractSymbols("animal.py", PYTHON))).toEqual([
      "class Animal@3",
      "method Animal.__init__@4",
      "method Animal.speak@8",
      "function top_level@13",
      "function _fetch@16",
    ]);
  });

  it("parses Go functions, receiver methods, structs and interfaces", async () => {
    const symbols = await extractSymbols("server.go", GO);
    expect(brief(symbols)).toEqual([
      "struct Server@3",
      "interface Handler@7",
      "function NewServer@11",
      "method Server.Start@15",
    ]);
    expect(symbols.every((s) => s.exported)).toBe(true);
  });

  it("parses Rust fns, structs, enums, traits and impl methods", async () => {
    expect(brief(await extractSymbols("lib.rs", RUST))).toEqual([
      "struct Point@3",
      "enum Shape@7",
      "trait Draw@11",
      "method Draw.draw@12",
      "method Point.new@16",
      "method Point.draw@22",
      "function main@25",
    ]);
  });

  it("parses Java classes, constructors, methods and interfaces", async () => {
    expect(brief(await extractSymbols("Shop.java", JAVA))).toEqual([
      "class Shop@3",
      "method Shop.Shop@6",
      "method Shop.buy@10",
      "interface Payable@16",
      "method Payable.pay@17",
    ]);
  });

  it("parses C with the cpp grammar: typedef structs, structs, functions (definition over prototype)", async () => {
    expect(brief(await extractSymbols("list.c", C))).toEqual(["struct Point@3", "struct Node@7", "function add@13"]);
  });

  it("parses C++ classes, structs, in-class and out-of-class methods", async () => {
    expect(brief(await extractSymbols("shape.cpp", CPP))).toEqual([
      "class Shape@3",
      "method Shape.Shape@5",
      "struct Vec@9",
      "method Shape.area@13",
      "function main@17",
    ]);
  });

  it("names every C/C++ declarator shape: pointer and reference returns, prototypes, typedefs, aliases", async () => {
    const source = `typedef struct tag { int v; } Alias;
typedef union { int i; float f; } Number;
typedef enum { RED, GREEN } Color;
typedef int Count;
typedef struct opaque Opaque;
char *name_of(int id);
int *first(void), second(void);
void (*callback)(int);
struct Widget { int (*hook)(int); void draw(); };
namespace ui {
using Id = int;
int &slot(int i) { static int s; return s; }
}
static const char *label(void) { return "x"; }
Widget::~Widget() {}
`;
    expect(brief(await extractSymbols("shapes.cpp", source))).toEqual([
      // A typedef'd struct is listed under its tag and its alias, tag first.
      "struct tag@1",
      "struct Alias@1",
      "struct Number@2",
      "enum Color@3",
      "type Count@4",
      "type Opaque@5",
      "function name_of@6",
      // A plain function declarator outranks a pointer one in the same declaration.
      "function second@7",
      // Function-pointer variables and fields are not functions.
      "struct Widget@9",
      "method Widget.draw@9",
      "module ui@10",
      "type Id@11",
      "function slot@12",
      "function label@14",
      "method Widget.~Widget@15",
    ]);
  });

  it("returns nothing for unknown file types and survives broken source", async () => {
    expect(await extractSymbols("notes.md", "# Title")).toEqual([]);
    const broken = await extractSymbols("x.ts", "export class {{{ function ok() {}\nexport function fine() {}\n");
    expect(broken.map((s) => s.name)).toContain("fine");
  });
});

describe("extractSymbols with the regex fallback", () => {
  const regex = { engine: "regex" } as const;

  it("finds the main TypeScript symbols", async () => {
    expect(brief(await extractSymbols("src/cart.ts", TS, regex))).toEqual([
      "interface Options@3",
      "type Id@7",
      "enum Color@9",
      "class Cart@14",
      "method Cart.constructor@16",
      "method Cart.add@19",
      "method Cart.onClick@23",
      "function makeCart@26",
      "const LIMIT@27",
      "function helper@28",
      "function checkout@30",
    ]);
  });

  it("finds Python, Go, Rust, Java, C and C++ symbols", async () => {
    expect(brief(await extractSymbols("animal.py", PYTHON, regex))).toEqual([
      "class Animal@3",
      "method Animal.__init__@4",
      "method Animal.speak@8",
      "function top_level@13",
      "function _fetch@16",
    ]);
    expect(brief(await extractSymbols("server.go", GO, regex))).toEqual([
      "struct Server@3",
      "interface Handler@7",
      "function NewServer@11",
      "method Server.Start@15",
    ]);
    expect(brief(await extractSymbols("lib.rs", RUST, regex))).toEqual([
      "struct Point@3",
      "enum Shape@7",
      "trait Draw@11",
      "method Draw.draw@12",
      "method Point.new@16",
      "method Point.draw@22",
      "function main@25",
    ]);
    expect(brief(await extractSymbols("Shop.java", JAVA, regex))).toEqual([
      "class Shop@3",
      "method Shop.Shop@6",
      "method Shop.buy@10",
      "interface Payable@16",
      "method Payable.pay@17",
    ]);
    expect(brief(await extractSymbols("list.c", C, regex))).toEqual(["struct Node@7", "function add@13"]);
    expect(brief(await extractSymbols("shape.cpp", CPP, regex))).toEqual([
      "class Shape@3",
      "method Shape.Shape@5",
      "method Shape.area@6",
      "struct Vec@9",
      "method Shape.area@13",
      "function main@17",
    ]);
  });

  it("covers languages without a grammar (Kotlin)", async () => {
    const kotlin = `class Repo {\n    fun load(id: Int): String {\n        return ""\n    }\n}\n\nfun main() {}\n`;
    expect(brief(await extractSymbols("Repo.kt", kotlin))).toEqual([
      "class Repo@1",
      "method Repo.load@2",
      "function main@7",
    ]);
  });
});
