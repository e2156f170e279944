import type { ThemeKind } from '../../core/protocol/messages';

// The host's `theme` message: VS Code sets its CSS variables and body classes itself; the stand-in
// host and older hosts rely on this class switch.

const THEME_CLASSES: Record<ThemeKind, string> = {
  dark: 'vscode-dark',
  light: 'vscode-light',
  highContrast: 'vscode-high-contrast',
  highContrastLight: 'vscode-high-contrast-light',
};

export function applyThemeKind(kind: ThemeKind): void {
  const cls = THEME_CLASSES[kind];
  if (document.body.classList.contains(cls)) return;
  document.body.classList.remove(...Object.values(THEME_CLASSES));
  document.body.classList.add(cls);
  document.body.dataset.vscodeThemeKind = cls;
}
