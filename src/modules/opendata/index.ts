import { defineModule } from '../manifest.js';
import opendataMessages from './messages.js';

/** Bulk open data: JSON and CSV downloads per jurisdiction and for the instance, per-period snapshots, `besa export` and `besa import json` (issue 12). */
export const manifest = defineModule({
  name: 'opendata',
  messages: [opendataMessages],
});
