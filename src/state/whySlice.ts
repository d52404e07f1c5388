import type { ReportCounterfactual } from '../core/explain/report';
import type { AttributionMethod } from '../core/explain/types';
import type {
  ExplainEvent,
  ExplanationReport,
  RecommendedItem,
  ReportMethod,
  TimelineItem,
  UserTimeline,
} from '../worker/api';
import type { AppState } from './store';
import type { StateCreator } from './types';
import type { WhatIfEdit } from './whatIf';

export type ExplanationStatus = 'idle' | 'running' | 'ready' | 'error';

/** One explanation call of whyActions.ts: what was asked, under a sequence number. */
export interface ExplanationRequest {
  /** Newer calls have larger ids; events and answers of an older call are dropped. */
  id: number;
  modelKey: string;
  /** `record.trainedAt` of the model's card when asked: a retrained model is explained again. */
  modelStamp: string;
  userId: string;
  /** The item asked for; null = the user's top-1 recommendation. */
  itemId: string | null;
  /** The what-if edits, encoded as in the URL; '' = the user's own history. */
  edits: string;
}

/**
 * The explanation shown, filled in as the worker streams it (score and rank, then one method at
 * a time, the counterfactual, the faithfulness curves) and replaced by the whole report at the
 * end. A cancelled one keeps the parts that arrived (`cancelled`, status `idle`).
 */
export interface ExplanationState {
  status: ExplanationStatus;
  request: ExplanationRequest | null;
  /** The item explained, known once the worker started (the resolved top-1). */
  item: string | null;
  score: number | null;
  rank: number | null;
  /** History items the model reads, and the older ones it does not. */
  read: number | null;
  unread: number | null;
  methods: Partial<Record<AttributionMethod, ReportMethod>>;
  /** Methods finished, of how many (from the stream). */
  done: number;
  total: number;
  counterfactual: ReportCounterfactual | null;
  faithfulness: ExplanationReport['faithfulness'] | null;
  report: ExplanationReport | null;
  error: string | null;
  cancelled: boolean;
}

/** A user's history as the timeline draws it, and for which model's read window. */
export interface TimelineState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  userId: string | null;
  modelKey: string | null;
  items: TimelineItem[];
  readLimit: number | null;
  error: string | null;
}

/** Rank and score of the explained item on the user's own history ("before" in a what-if). */
export interface RankBaseline {
  modelKey: string;
  userId: string;
  itemId: string;
  rank: number;
  score: number;
}

/** The top-K of the edited history (what-if), for the explanation request `requestId`. */
export interface WhatIfRecs {
  requestId: number;
  status: 'loading' | 'ready' | 'error';
  items: RecommendedItem[];
  error: string | null;
}

/** The model shipped with the app for the bundled sample, loaded on first run. */
export interface SampleModelState {
  status: 'idle' | 'loading' | 'ready' | 'skipped' | 'error';
  /** Its model key once loaded. */
  key: string | null;
  message: string | null;
}

/**
 * The "Why this item?" view: which item is explained (null = the user's top-1), which method's
 * bars are shown, the what-if edits (all three mirrored in the URL), and what the worker
 * answered: the user's timeline, the explanation, the rank before the edits and the edited
 * history's top-K. Ids, numbers and the one report only; the dataset stays in the worker.
 */
export interface WhySlice {
  whyItem: string | null;
  whyMethod: AttributionMethod | null;
  edits: WhatIfEdit[];
  timeline: TimelineState;
  explanation: ExplanationState;
  baseline: RankBaseline | null;
  whatIfRecs: WhatIfRecs | null;
  sampleModel: SampleModelState;

  setWhyItem: (itemId: string | null) => void;
  setWhyMethod: (method: AttributionMethod | null) => void;
  setEdits: (edits: WhatIfEdit[]) => void;

  startTimeline: (modelKey: string | null, userId: string) => void;
  setTimeline: (timeline: UserTimeline) => void;
  failTimeline: (modelKey: string | null, userId: string, message: string) => void;
  /** Forget the timeline (it is fetched again, e.g. with titles after a metadata join). */
  resetTimeline: () => void;

  startExplanation: (request: ExplanationRequest) => void;
  explanationEvent: (id: number, event: ExplainEvent) => void;
  finishExplanation: (id: number, report: ExplanationReport) => void;
  failExplanation: (id: number, message: string) => void;
  /** The user cancelled request `id`: keep what arrived, status `idle`. */
  cancelExplanationState: (id: number) => void;
  setBaseline: (baseline: RankBaseline | null) => void;
  setWhatIfRecs: (recs: WhatIfRecs | null) => void;
  setSampleModel: (sample: SampleModelState) => void;
  /** The dataset changed: forget every answer (the selection stays, e.g. from the URL). */
  resetWhyResults: () => void;
}

export const idleTimeline: TimelineState = {
  status: 'idle',
  userId: null,
  modelKey: null,
  items: [],
  readLimit: null,
  error: null,
};

export const idleExplanation: ExplanationState = {
  status: 'idle',
  request: null,
  item: null,
  score: null,
  rank: null,
  read: null,
  unread: null,
  methods: {},
  done: 0,
  total: 0,
  counterfactual: null,
  faithfulness: null,
  report: null,
  error: null,
  cancelled: false,
};

const sameKeys = (a: object, b: object): boolean => {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => kb.includes(k));
};

/** Applies `change` when `id` is the explanation's current request, else leaves the state. */
function forRequest(
  state: AppState,
  id: number,
  change: (e: ExplanationState) => Partial<ExplanationState> | null,
): Partial<AppState> | AppState {
  const e = state.explanation;
  if (e.request?.id !== id) return state;
  const next = change(e);
  return next ? { explanation: { ...e, ...next } } : state;
}

export const createWhySlice: StateCreator<AppState, WhySlice> = (set) => ({
  whyItem: null,
  whyMethod: null,
  edits: [],
  timeline: idleTimeline,
  explanation: idleExplanation,
  baseline: null,
  whatIfRecs: null,
  sampleModel: { status: 'idle', key: null, message: null },

  setWhyItem: (itemId) => set((s) => (s.whyItem === itemId ? s : { whyItem: itemId })),
  setWhyMethod: (method) => set((s) => (s.whyMethod === method ? s : { whyMethod: method })),
  setEdits: (edits) => set({ edits }),

  startTimeline: (modelKey, userId) =>
    set((s) => ({
      // Keep the items of the same user while the read window of another model is fetched.
      timeline: {
        ...(s.timeline.userId === userId ? s.timeline : idleTimeline),
        status: 'loading',
        userId,
        modelKey,
        error: null,
      },
    })),
  setTimeline: (t) =>
    set((s) =>
      s.timeline.userId === t.userId && s.timeline.modelKey === t.modelKey
        ? {
            timeline: {
              status: 'ready',
              userId: t.userId,
              modelKey: t.modelKey,
              items: t.items,
              readLimit: t.readLimit,
              error: null,
            },
          }
        : s,
    ),
  failTimeline: (modelKey, userId, message) =>
    set((s) =>
      s.timeline.userId === userId && s.timeline.modelKey === modelKey
        ? { timeline: { ...idleTimeline, status: 'error', userId, modelKey, error: message } }
        : s,
    ),

  resetTimeline: () => set({ timeline: idleTimeline }),

  startExplanation: (request) =>
    set({ explanation: { ...idleExplanation, status: 'running', request } }),
  explanationEvent: (id, event) =>
    set((s) =>
      forRequest(s, id, (e) => {
        if (e.status !== 'running') return null;
        switch (event.kind) {
          case 'started':
            return {
              item: event.item,
              score: event.score,
              rank: event.rank,
              read: event.read,
              unread: event.unread,
            };
          case 'method':
            return {
              methods: { ...e.methods, [event.method]: event.result },
              done: event.done,
              total: event.total,
            };
          case 'counterfactual':
            return { counterfactual: event.result };
          case 'faithfulness':
            return { faithfulness: event.result };
        }
      }),
    ),
  finishExplanation: (id, report) =>
    set((s) =>
      forRequest(s, id, (e) => ({
        status: 'ready',
        item: report.item,
        score: report.score,
        rank: report.rank,
        read: report.read,
        unread: report.unread,
        // The streamed parts are the report's own (same conversion): keeping them keeps the
        // charts drawn from them as they are.
        methods: sameKeys(e.methods, report.methods) ? e.methods : report.methods,
        done: Object.keys(report.methods).length,
        total: Math.max(e.total, Object.keys(report.methods).length),
        counterfactual: e.counterfactual ?? report.counterfactual,
        faithfulness: e.faithfulness ?? report.faithfulness,
        report,
        error: null,
        cancelled: false,
      })),
    ),
  failExplanation: (id, message) =>
    set((s) => forRequest(s, id, () => ({ status: 'error', error: message }))),
  cancelExplanationState: (id) =>
    set((s) =>
      forRequest(s, id, (e) =>
        e.status === 'running' ? { status: 'idle', cancelled: true } : null,
      ),
    ),
  setBaseline: (baseline) => set({ baseline }),
  setWhatIfRecs: (recs) => set({ whatIfRecs: recs }),
  setSampleModel: (sample) => set({ sampleModel: sample }),
  resetWhyResults: () =>
    set({
      timeline: idleTimeline,
      explanation: idleExplanation,
      baseline: null,
      whatIfRecs: null,
    }),
});
