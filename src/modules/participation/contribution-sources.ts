import type { HistorySource, RecentSource, SearchSource } from '../manifest.js';

// STUB (issue 11): this part's search documents, recent changes and history kinds (index.ts merges the three parts).
export const contributionSearch: SearchSource = { kinds: [], documents: async () => [] };
export const contributionRecent: RecentSource = { recent: async () => [] };
export const contributionHistory: HistorySource[] = [];
