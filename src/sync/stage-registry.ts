/**
 * Sync stages by name. Each stage advances in bounded steps (one per alarm) and reports whether it is done.
 * The 13 proxbox stages register here when the sync capability lands; a run may only name registered stages.
 */
export interface StageStep {
  done: boolean;
  /** Progress to publish as an SSE event after the step. */
  progress?: Record<string, unknown>;
}

export interface StageContext {
  runId: string;
  stage: string;
  /** Opaque checkpoint of this stage, persisted after every step. */
  checkpoint: unknown;
  saveCheckpoint(value: unknown): void;
}

export type StageHandler = (ctx: StageContext) => Promise<StageStep>;

const stages = new Map<string, StageHandler>();

export function registerStage(name: string, handler: StageHandler): void {
  stages.set(name, handler);
}

export function stageHandler(name: string): StageHandler | undefined {
  return stages.get(name);
}
