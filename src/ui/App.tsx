import { loadFile } from '../state/actions';
import { useAppStore } from '../state/store';
import { CompareView } from './compare/CompareView';
import { DataPanel } from './DataPanel';
import { DatasetSummaryPanel } from './DatasetSummaryPanel';
import { ForeignImportPanel } from './ForeignImportPanel';
import { Header } from './Header';
import { InterestsView } from './interests/InterestsView';
import { MappingEditor } from './MappingEditor';
import { ModelsPanel } from './ModelsPanel';
import { tabId } from './nav/views';
import { RecommendationsPanel } from './RecommendationsPanel';
import { RejectsPanel } from './RejectsPanel';
import { SavedModelsPanel } from './SavedModelsPanel';
import { usePageFileDrop } from './usePageFileDrop';
import { WhyView } from './why/WhyView';
import './models.css';

/** A file dropped anywhere: load it and show the Data view, where its progress and mapping are. */
const onDroppedFile = (file: File) => {
  useAppStore.getState().setView('data');
  void loadFile(file);
};

/** Data in on the left, what it became on the right. */
function DataPage() {
  return (
    <div className="layout">
      <div className="side">
        <DataPanel />
        <MappingEditor />
      </div>
      <div className="main">
        <DatasetSummaryPanel />
        <RejectsPanel />
      </div>
    </div>
  );
}

/** The models trained on the data, their recommendations for a user, the saved models. */
function ModelsPage() {
  return (
    <div className="layout models-layout">
      <div className="main">
        <ModelsPanel />
      </div>
      <div className="side">
        <RecommendationsPanel />
        <SavedModelsPanel />
        <ForeignImportPanel />
      </div>
    </div>
  );
}

/**
 * The dashboard: a compact header (dataset, model, backend), the view tabs, and one view at a
 * time: Why (the default), Interests, Compare, Models or Data.
 */
export function App() {
  usePageFileDrop(onDroppedFile);
  const view = useAppStore((s) => s.view);
  return (
    <div className="app">
      <Header />
      <main id="view-panel" role="tabpanel" aria-labelledby={tabId(view)} className="view-panel">
        {view === 'why' && <WhyView />}
        {view === 'interests' && <InterestsView />}
        {view === 'compare' && <CompareView />}
        {view === 'models' && <ModelsPage />}
        {view === 'data' && <DataPage />}
      </main>
    </div>
  );
}
