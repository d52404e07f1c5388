import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startApp } from './state/actions';
import { followCompareInputs } from './state/compareActions';
import { followInterestInputs } from './state/interestsActions';
import { followRecommendationInputs } from './state/modelActions';
import { followWorkerCrashes } from './state/recovery';
import { installTestHooks } from './state/testHooks';
import { syncViewWithUrl } from './state/urlSync';
import { followWhyInputs } from './state/whyActions';
import { App } from './ui/App';
import './ui/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');

installTestHooks(window);
// The hash (#view=...&model=...&user=...) seeds the view before the first load picks a default user.
syncViewWithUrl(window);
followRecommendationInputs();
followWhyInputs();
followCompareInputs();
followInterestInputs();
// A worker that dies (out of memory, a wasm trap) is replaced and the dataset reloaded.
followWorkerCrashes();

// Start the backend choice and the sample load before the first render, so the page opens
// straight into its loading state.
void startApp();

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
