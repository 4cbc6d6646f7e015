/** The execution graph: ASL → nested graph model → dagre layout, and statuses from history. */
export {
  allNodes,
  buildGraph,
  DefinitionShapeError,
  END_ID,
  type GraphBlock,
  type GraphEdge,
  type GraphNode,
  START_ID,
} from "./asl-graph.ts";
export {
  type GraphLayout,
  layoutGraph,
  METRICS,
  type PlacedEdge,
  type PlacedFrame,
  type PlacedNode,
} from "./layout.ts";
export {
  deriveExecutionPath,
  type ExecutionPath,
  eventDetails,
  type HistoryEventLike,
  STATUS_LABEL,
  type StateRun,
  type StateStatus,
  statusOf,
  wasTaken,
} from "./state-status.ts";
