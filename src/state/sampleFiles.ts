import sampleInteractionsUrl from '../../sample-data/interactions.csv?url';
import sampleItemsUrl from '../../sample-data/items.csv?url';

/** A file bundled with the app, fetched from the same origin at startup. */
export interface BundledFile {
  url: string;
  /** The name shown in the summary, so nobody mistakes the sample for their own data. */
  name: string;
}

/** The bundled sample dataset (interactions plus item metadata) loaded when the page opens. */
export const SAMPLE_FILES: { interactions: BundledFile; items: BundledFile } = {
  interactions: { url: sampleInteractionsUrl, name: 'sample interactions.csv' },
  items: { url: sampleItemsUrl, name: 'sample items.csv' },
};
