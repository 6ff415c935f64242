/** The response table of migration 0020 (owned by the moderation and response files of this module). */
export type ContributionResponseTable = {
  contribution_id: number;
  /** accepted | partly_accepted | not_accepted | out_of_scope */
  outcome: string;
  /** Translatable JSON. */
  reasons: string;
  commitment_id: number | null;
  milestone_id: number | null;
  responded_by: number | null;
  created_at: string;
  updated_at: string;
};

export type ResponseTables = {
  contribution_responses: ContributionResponseTable;
};
