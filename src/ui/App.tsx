import { loadFile } from '../state/actions';
import { DataPanel } from './DataPanel';
import { DatasetSummaryPanel } from './DatasetSummaryPanel';
import { Header } from './Header';
import { MappingEditor } from './MappingEditor';
import { ModelsPanel } from './ModelsPanel';
import { RecommendationsPanel } from './RecommendationsPanel';
import { RejectsPanel } from './RejectsPanel';
import { SavedModelsPanel } from './SavedModelsPanel';
import { usePageFileDrop } from './usePageFileDrop';
import './models.css';

const onDroppedFile = (file: File) => void loadFile(file);

/**
 * The dashboard: data in on the left, what it became on the right; below, the models trained
 * on it, their recommendations for a chosen user, and the models saved in this browser.
 */
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
      <section className="layout models-layout" aria-label="Models and recommendations">
        <div className="main">
          <ModelsPanel />
        </div>
        <div className="side">
          <RecommendationsPanel />
          <SavedModelsPanel />
        </div>
      </section>
    </div>
  );
}
