import type { Executor } from '../../db/database.js';
import type { PageContext } from '../../ui/context.js';
import type { ConsultationView } from './consultation-queries.js';

// STUB (issue 11, moderation and responses helper): the public response table of a consultation
// (what was said, what was done, why), the share answered and the CSV link.
export interface ResponseTableData {
  answered: number;
  total: number;
}
export async function loadResponseTable(_db: Executor, _consultation: ConsultationView): Promise<ResponseTableData> {
  return { answered: 0, total: 0 };
}
export function ResponseTableSection(_props: { ctx: PageContext; consultation: ConsultationView; data: ResponseTableData }): JSX.Element {
  return '';
}
