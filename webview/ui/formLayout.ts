// The side panels' layout pieces, shared by the experiment form (./controls.ts) and the Sweep
// view's pickers (../components/sweepView.ts): a labelled row of fields, a section heading and a
// note line, with the class names lab.css styles.

/** A row: its label (with `title` as a tooltip), then the fields side by side. */
export function formRow(label: string, fields: HTMLElement[], title?: string): HTMLElement {
  const el = document.createElement('div');
  el.className = 'field';
  const caption = document.createElement('span');
  caption.className = 'field-label';
  caption.textContent = label;
  if (title) caption.title = title;
  const box = document.createElement('div');
  box.className = 'field-inputs';
  box.append(...fields);
  el.append(caption, box);
  return el;
}

export function formSection(title: string): HTMLElement {
  const h = document.createElement('h2');
  h.className = 'controls-section';
  h.textContent = title;
  return h;
}

export function formNote(text: string): HTMLElement {
  const p = document.createElement('p');
  p.className = 'preset-note';
  p.textContent = text;
  return p;
}
