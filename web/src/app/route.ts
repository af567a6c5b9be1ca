/** Where the app is: the office, one agent's chat, or the task board; kept in the URL's hash. */

export type Route = { view: "office" } | { view: "chat"; agentId: string } | { view: "tasks" };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, "");
  const [head, arg] = path.split("/");
  if (head === "agent" && arg) return { view: "chat", agentId: decodeURIComponent(arg) };
  if (head === "tasks") return { view: "tasks" };
  return { view: "office" };
}

export function routeHash(route: Route): string {
  switch (route.view) {
    case "office":
      return "#/";
    case "chat":
      return `#/agent/${encodeURIComponent(route.agentId)}`;
    case "tasks":
      return "#/tasks";
  }
}
