import { loadFile } from '../state/actions';
import { DataPanel } from './DataPanel';
import { DatasetSummaryPanel } from './DatasetSummaryPanel';
import { Header } from './Header';
import { MappingEditor } from './MappingEditor';
import { RejectsPanel } from './RejectsPanel';
import { usePageFileDrop } from './usePageFileDrop';

const onDroppedFile = (file: File) => void loadFile(file);

/** The ingest page: data in on the left, what it became on the right. */
export function App() {
  usePageFileDrop(onDroppedFile);
  return (
    <div className="app">
      <Header />
      <main className="layout">
        <div className="side">
          <DataPanel />
          <MappingEditor />
        </div>
        <div className="main">
          <DatasetSummaryPanel />
          <RejectsPanel />
        </div>
      </main>
    </div>
  );
}
