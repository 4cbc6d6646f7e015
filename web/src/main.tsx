/** Entry point: mounts the dashboard. */
import { render } from "preact";
import { App } from "./app.tsx";
import "virtual:countersign-theme.css";
import "./styles.css";

render(<App />, document.getElementById("app")!);
