import type { Executor } from '../../db/database.js';
import type { PageContext } from '../../ui/context.js';
import type { ConsultationView } from './consultation-queries.js';

// STUB (issue 11, contributions helper): the published contributions of a consultation, threaded,
// with links to the reply and flag forms and to the contribution form while the consultation is open.
export interface ContributionThread {
  count: number;
}
export async function loadContributionThread(_db: Executor, _consultation: ConsultationView): Promise<ContributionThread> {
  return { count: 0 };
}
export function ContributionsSection(_props: { ctx: PageContext; consultation: ConsultationView; thread: ContributionThread; open: boolean }): JSX.Element {
  return '';
}
