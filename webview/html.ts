import { escapeHtml } from '../core/text';

// The Lab page's HTML, shared by the extension host (VS Code webview panels) and the stand-in
// server of `npm run lab:serve`. Pure: no `vscode`, no DOM, no Node APIs.

export interface LabHtmlOptions {
  /** `webview.cspSource` in VS Code; the server's origin in standalone mode. */
  cspSource: string;
  /** A fresh random nonce per render (base64 or hex, from a CSPRNG). */
  nonce: string;
  /** The bundle `dist/webview/lab.js`, as a webview URI. */
  scriptUri: string;
  /** The bundle's stylesheet `dist/webview/lab.css`, as a webview URI. */
  styleUri: string;
  /** Scripts to run before the Lab (the stand-in host of standalone mode). */
  extraScriptUris?: readonly string[];
  /** Stylesheets loaded before the Lab's (the stand-in host's theme variables). */
  extraStyleUris?: readonly string[];
  /** Origins the page may fetch from (standalone mode's MNIST digits); none by default. */
  connectSrc?: string;
  /** Initial `<body>` theme class (standalone mode; VS Code sets its own). */
  themeClass?: 'vscode-dark' | 'vscode-light' | 'vscode-high-contrast' | 'vscode-high-contrast-light';
  /** Page title. */
  title?: string;
}

const attr = escapeHtml;

function checkToken(name: string, value: string): void {
  // These go into the policy itself: refuse anything that could end a directive or the attribute.
  const bad = name === 'nonce' ? /[^A-Za-z0-9+/=_-]/ : /[;,"<>\r\n]/;
  if (value === '' || bad.test(value)) throw new Error(`renderLabHtml: invalid ${name} ${JSON.stringify(value)}`);
}

/** The Content-Security-Policy of the page: nothing inline, nothing evaluated, no network by default. */
export function labContentSecurityPolicy(options: Pick<LabHtmlOptions, 'cspSource' | 'nonce' | 'connectSrc'>): string {
  const { cspSource, nonce, connectSrc } = options;
  checkToken('nonce', nonce);
  checkToken('cspSource', cspSource);
  if (connectSrc !== undefined) checkToken('connectSrc', connectSrc);
  return [
    "default-src 'none'",
    `img-src ${cspSource} data: blob:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    // 'wasm-unsafe-eval': tfjs's dependency `long` probes WebAssembly once; no JS eval is allowed.
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    `font-src ${cspSource}`,
    `connect-src ${connectSrc ?? "'none'"}`,
  ].join('; ');
}

/**
 * The Lab page. The layout is static (so the page has its shape before the script runs); the
 * controls, plots and heatmaps are filled in by `dist/webview/lab.js`.
 */
export function renderLabHtml(options: LabHtmlOptions): string {
  const { nonce, scriptUri, styleUri } = options;
  const csp = labContentSecurityPolicy(options);
  const styles = [...(options.extraStyleUris ?? []), styleUri].map((href) => `<link rel="stylesheet" href="${attr(href)}" nonce="${attr(nonce)}">`).join('\n    ');
  const scripts = [...(options.extraScriptUris ?? []), scriptUri].map((src) => `<script nonce="${attr(nonce)}" src="${attr(src)}"></script>`).join('\n    ');
  const theme = options.themeClass ? ` class="${options.themeClass}" data-vscode-theme-kind="${options.themeClass}"` : '';
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <!-- FAST (under the toolkit) reads the nonce for the <style> probe of :focus-visible here. -->
    <meta property="csp-nonce" content="${attr(nonce)}">
    <title>${attr(options.title ?? 'Deep Factorization Lab')}</title>
    ${styles}
  </head>
  <body${theme} data-state="idle">
    <div class="lab">
      <header class="lab-header">
        <div class="lab-title">
          <h1>Deep Factorization Lab</h1>
          <p class="lab-subtitle" id="run-title">Gradient descent on W = W<sub>N</sub>⋯W<sub>1</sub></p>
        </div>
        <div class="lab-status" role="status" aria-live="polite">
          <span class="pill" id="backend-pill" title="tfjs backend of the matrix path">backend …</span>
          <span class="pill" id="path-pill" title="engine path">path –</span>
          <span class="pill state-pill" id="state-pill">idle</span>
        </div>
      </header>
      <div class="notice" id="fallback-notice" hidden></div>
      <div class="notice notice-info" id="message" hidden></div>
      <div class="progress" id="progress" aria-hidden="true"><div class="progress-bar" id="progress-bar"></div></div>
      <nav class="view-tabs" id="view-tabs" role="tablist" aria-label="View" hidden>
        <button type="button" class="view-tab" role="tab" id="tab-run" aria-controls="run-view" aria-selected="true">Run</button>
        <button type="button" class="view-tab" role="tab" id="tab-sweep" aria-controls="sweep-view" aria-selected="false" tabindex="-1">Sweep</button>
      </nav>
      <main class="lab-main" id="run-view" role="tabpanel" aria-labelledby="tab-run">
        <aside class="controls" id="controls" aria-label="Experiment"></aside>
        <section class="results" aria-label="Results">
          <div class="plot-grid">
            <figure class="plot" id="plot-sigma"><figcaption><span class="plot-title">Singular values σ<sub>i</sub>(W(k))</span><span class="plot-readout" data-readout></span></figcaption><div class="plot-body"></div></figure>
            <figure class="plot" id="plot-erank"><figcaption><span class="plot-title">Effective rank</span><span class="plot-readout" data-readout></span></figcaption><div class="plot-body"></div></figure>
            <figure class="plot" id="plot-loss"><figcaption><span class="plot-title">Loss ½‖W − Ŵ‖²</span><span class="plot-readout" data-readout></span></figcaption><div class="plot-body"></div></figure>
            <figure class="plot" id="plot-distance"><figcaption><span class="plot-title">Distance ‖W(k) − Ŵ<sub>L</sub>‖<sub>F</sub></span><span class="plot-readout" data-readout></span></figcaption><div class="plot-body"></div></figure>
          </div>
          <div class="heatmaps" id="heatmaps">
            <figure class="heatmap"><figcaption id="heat-target-caption">Target Ŵ</figcaption><canvas id="heat-target" width="200" height="200"></canvas></figure>
            <figure class="heatmap"><figcaption id="heat-iterate-caption">Iterate W(k)</figcaption><canvas id="heat-iterate" width="200" height="200"></canvas></figure>
            <figure class="heatmap"><figcaption id="heat-best-caption">Best rank-L Ŵ<sub>L</sub></figcaption><canvas id="heat-best" width="200" height="200"></canvas></figure>
            <div class="heat-side">
              <canvas id="heat-colorbar" width="24" height="200" aria-label="colour scale"></canvas>
              <div class="heat-scale"><span id="heat-max"></span><span>0</span><span id="heat-min"></span></div>
            </div>
            <div class="scrub">
              <label for="step-slider">Step <output id="step-output">–</output></label>
              <input type="range" id="step-slider" min="0" max="0" value="0" step="1" disabled>
            </div>
          </div>
          <div class="run-outcome">
            <p class="summary" id="summary"></p>
            <table class="plateau-table" id="plateau-table" hidden></table>
          </div>
          <div class="snapshot-strip" id="snapshot-strip" aria-label="Reconstructions W(k)" hidden></div>
        </section>
      </main>
      <section class="sweep-view" id="sweep-view" role="tabpanel" aria-labelledby="tab-sweep" hidden>
        <aside class="controls sweep-controls" id="sweep-controls" aria-label="Sweep figure"></aside>
        <div class="sweep-results">
          <header class="sweep-header">
            <h2 class="sweep-title" id="sweep-title">Sweep</h2>
            <p class="sweep-counts" id="sweep-counts"></p>
          </header>
          <figure class="plot sweep-panel" id="sweep-heatmap" aria-label="Phase diagram"><div class="sweep-svg-box" id="sweep-heatmap-body"></div></figure>
          <p class="sweep-readout" id="sweep-readout" role="status" aria-live="polite"></p>
          <figure class="plot sweep-panel" id="sweep-lines" aria-label="Line plot"><div class="sweep-svg-box" id="sweep-lines-body"></div></figure>
        </div>
      </section>
    </div>
    ${scripts}
  </body>
</html>
`;
}
