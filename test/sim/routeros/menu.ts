/**
 * The shape of a REST menu as the dispatcher sees it: a list of items (`/ip/address`) or a singleton
 * (`/system/resource`), optional add/set/remove, and commands (`POST /rest/<menu>/<command>`).
 */
import type { Row } from "./query";
import type { Args } from "./request-json";
import type { RouterState } from "./state";
import type { Policy, SimUser } from "./users";

export interface RequestContext {
  state: RouterState;
  user: SimUser;
  /** Whether this user may see sensitive properties. */
  sensitive: boolean;
  /** Lets simulated time pass while a command runs; at the 60 s cap the request ends with `Session closed`. */
  hold(ms: number): Promise<void>;
}

export interface CommandCall {
  args: Args;
  proplist?: string[];
  query?: string[];
}

export interface Command {
  /** Arguments it accepts besides `.proplist` and `.query`. */
  args: readonly string[];
  /** Policies the user's group needs (beyond `api` and `rest-api`). */
  policies: readonly Policy[];
  /** Changes state (counted as a write). */
  writes?: boolean;
  run(ctx: RequestContext, call: CommandCall): Promise<unknown> | unknown;
}

export interface ListMenu {
  kind: "list";
  /** Items can be addressed by this property besides `*id`. */
  nameKey?: string;
  records(ctx: RequestContext): Row[];
  add?(ctx: RequestContext, args: Args): Row;
  /** Returns the changed record, or undefined when there is no item with that id. */
  set?(ctx: RequestContext, id: string, args: Args): Row | undefined;
  remove?(ctx: RequestContext, id: string): boolean;
  /** Policies add/set/remove need (default `write`). */
  writePolicies?: readonly Policy[];
  commands?: Record<string, Command>;
}

export interface SingletonMenu {
  kind: "singleton";
  record(ctx: RequestContext): Row;
  set?(ctx: RequestContext, args: Args): void;
  commands?: Record<string, Command>;
}

export type Menu = ListMenu | SingletonMenu;

export class MenuNode {
  readonly children = new Map<string, MenuNode>();
  menu?: Menu;
  readonly commands = new Map<string, Command>();

  constructor(readonly path: string) {}

  /** Creates the node for `a/b/c` and the directories on the way. */
  at(path: string): MenuNode {
    let node: MenuNode = this;
    for (const seg of path.split("/")) {
      let child = node.children.get(seg);
      if (!child) {
        child = new MenuNode(node.path === "" ? seg : `${node.path}/${seg}`);
        node.children.set(seg, child);
      }
      node = child;
    }
    return node;
  }

  mount(path: string, menu: Menu): MenuNode {
    const node = this.at(path);
    node.menu = menu;
    for (const [name, command] of Object.entries(menu.commands ?? {})) node.commands.set(name, command);
    return node;
  }
}
