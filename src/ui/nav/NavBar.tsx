import { type KeyboardEvent, useEffect, useRef } from 'react';
import { useAppStore } from '../../state/store';
import type { ViewName } from '../../state/url';
import { rovingTarget } from '../rovingFocus';
import { tabId, VIEWS, viewForShortcut } from './views';

/**
 * The views as tabs: click, arrow keys (Left/Right, Home/End) within the tab list, or Alt+1,
 * Alt+2, Alt+3 from anywhere on the page. The chosen view is in the URL (`#view=...`).
 */
export function NavBar() {
  const view = useAppStore((s) => s.view);
  const setView = useAppStore((s) => s.setView);
  const tabs = useRef<Partial<Record<ViewName, HTMLButtonElement | null>>>({});

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      const target = viewForShortcut(event);
      if (!target) return;
      event.preventDefault();
      setView(target);
      tabs.current[target]?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setView]);

  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    const at = VIEWS.findIndex((v) => v.name === view);
    const next = rovingTarget(event.key, at, VIEWS.length, { axis: 'horizontal', wrap: true });
    if (next === null) return;
    event.preventDefault();
    const target = VIEWS[next].name;
    setView(target);
    tabs.current[target]?.focus();
  };

  return (
    <nav className="view-nav" aria-label="Views">
      <div role="tablist" aria-label="Views" className="view-tabs">
        {VIEWS.map((v, i) => {
          const selected = v.name === view;
          return (
            <button
              key={v.name}
              ref={(el) => {
                tabs.current[v.name] = el;
              }}
              type="button"
              role="tab"
              id={tabId(v.name)}
              data-testid={`nav-${v.name}`}
              aria-selected={selected}
              aria-controls="view-panel"
              aria-keyshortcuts={`Alt+${i + 1}`}
              tabIndex={selected ? 0 : -1}
              title={`${v.hint} (Alt+${i + 1})`}
              className={selected ? 'view-tab selected' : 'view-tab'}
              onClick={() => setView(v.name)}
              onKeyDown={onKeyDown}
            >
              {v.label}
            </button>
          );
        })}
      </div>
    </nav>
  );
}
