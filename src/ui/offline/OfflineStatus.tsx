/** Whether the page is cross-origin isolated (wasm threads) and what its offline copy holds (ui/offline/offline.ts). */
import { useEffect, useState } from 'react';
import { useFolio } from '../../state/store';
import { offlineInfo, type OfflineInfo } from './offline';
import { useT } from '../app/useT';

export function OfflineStatus() {
  const t = useT();
  const threads = useFolio((s) => s.backend?.threads);
  const [info, setInfo] = useState<OfflineInfo>();
  useEffect(() => {
    let alive = true;
    // The first visit fills the cache while the page runs (asked again until it is full);
    // a new build replaces it (asked again when its worker takes over).
    const read = () =>
      void offlineInfo().then(
        (i) => {
          if (!alive) return;
          setInfo(i);
          if (i.state !== 'caching') clearInterval(poll);
        },
        () => undefined,
      );
    const poll = setInterval(read, 3000);
    read();
    navigator.serviceWorker?.addEventListener('controllerchange', read);
    return () => {
      alive = false;
      clearInterval(poll);
      navigator.serviceWorker?.removeEventListener('controllerchange', read);
    };
  }, []);
  const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
  return (
    <section
      className="offline muted small"
      aria-labelledby="offline-h"
      data-testid="offline"
      data-state={info?.state}
      data-isolated={isolated}
      data-bytes={info?.state === 'cached' ? info.bytes : undefined}
      data-version={info?.state === 'cached' ? info.version : undefined}
    >
      <h3 id="offline-h">{t.hostTitle}</h3>
      <p data-testid="isolation">{isolated ? t.hostIsolated(threads) : t.hostNotIsolated}</p>
      {info && (
        <p data-testid="offline-cache">
          {info.state === 'cached'
            ? t.hostCached(t.hostMb(info.bytes / 1024 / 1024), info.files, info.version)
            : info.state === 'caching'
              ? t.hostCaching
              : info.state === 'dev'
                ? t.hostDev
                : t.hostNoWorker}
        </p>
      )}
    </section>
  );
}
