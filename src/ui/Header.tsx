import { BackendBadge } from './BackendBadge';

/** Product name, the question it answers, and the compute backend. */
export function Header() {
  return (
    <header className="app-header">
      <div className="brand">
        <h1>Interest Lens</h1>
        <p className="tagline">Why did the recommender recommend this item to this user?</p>
      </div>
      <BackendBadge />
    </header>
  );
}
