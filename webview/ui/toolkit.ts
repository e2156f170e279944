import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDivider,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeTextArea,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

// The ONLY module of the Lab that knows about @vscode/webview-ui-toolkit (1.4.0, deprecated
// since 2025-01-01 and archived). Everything else builds controls through the small widget API
// below, so moving to @vscode-elements/elements (vscode-button, vscode-single-select,
// vscode-textfield, vscode-checkbox, vscode-divider, vscode-textarea) rewrites this file alone.

let registered = false;

/** Registers the few toolkit components the Lab uses (idempotent). */
export function registerToolkit(): void {
  if (registered) return;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDivider(), vsCodeDropdown(), vsCodeOption(), vsCodeTextArea(), vsCodeTextField());
  registered = true;
}

/** A form control: its element (to place in the page) and a typed value. */
export interface Field<T> {
  readonly element: HTMLElement;
  get(): T;
  set(value: T): void;
  onChange(listener: () => void): void;
  setDisabled(disabled: boolean): void;
}

interface ValueElement extends HTMLElement {
  value: string;
}

function valueField(element: ValueElement, events: string[]): Field<string> {
  return {
    element,
    get: () => element.value ?? '',
    set: (value) => {
      element.value = value;
    },
    onChange: (listener) => events.forEach((e) => element.addEventListener(e, listener)),
    setDisabled: (disabled) => element.toggleAttribute('disabled', disabled),
  };
}

export interface TextFieldOptions {
  value: string;
  /** Shown when empty. */
  placeholder?: string;
  title?: string;
  /** Accessible name (the visible label is the field's caption in the form). */
  ariaLabel: string;
  id?: string;
}

export function textField(options: TextFieldOptions): Field<string> {
  const element = document.createElement('vscode-text-field') as ValueElement;
  element.setAttribute('value', options.value);
  element.setAttribute('aria-label', options.ariaLabel);
  if (options.placeholder) element.setAttribute('placeholder', options.placeholder);
  if (options.title) element.title = options.title;
  if (options.id) element.id = options.id;
  return valueField(element, ['input', 'change']);
}

export function textArea(options: TextFieldOptions & { rows?: number }): Field<string> {
  const element = document.createElement('vscode-text-area') as ValueElement;
  element.setAttribute('value', options.value);
  element.setAttribute('aria-label', options.ariaLabel);
  element.setAttribute('rows', String(options.rows ?? 4));
  element.setAttribute('resize', 'vertical');
  if (options.placeholder) element.setAttribute('placeholder', options.placeholder);
  if (options.id) element.id = options.id;
  return valueField(element, ['input', 'change']);
}

export interface Choice {
  value: string;
  label: string;
}

export interface Dropdown extends Field<string> {
  /** Replaces the options, keeping the value when it is still offered. */
  setChoices(choices: readonly Choice[]): void;
}

export function dropdown(options: { choices: readonly Choice[]; value: string; ariaLabel: string; id?: string }): Dropdown {
  const element = document.createElement('vscode-dropdown') as ValueElement;
  element.setAttribute('aria-label', options.ariaLabel);
  element.setAttribute('position', 'below');
  if (options.id) element.id = options.id;
  const fill = (choices: readonly Choice[], value: string) => {
    element.replaceChildren(
      ...choices.map((c) => {
        const option = document.createElement('vscode-option') as ValueElement;
        option.setAttribute('value', c.value);
        option.textContent = c.label;
        if (c.value === value) option.setAttribute('selected', '');
        return option;
      }),
    );
    if (element.isConnected) element.value = value;
  };
  fill(options.choices, options.value);
  const base = valueField(element, ['change']);
  return {
    ...base,
    // The toolkit ignores `value` until its options have connected (a tick after the element
    // enters the page): the `selected` attribute is what it reads then.
    set: (value) => {
      for (const option of element.children) option.toggleAttribute('selected', option.getAttribute('value') === value);
      element.value = value;
    },
    setChoices: (choices) => {
      const value = base.get();
      fill(choices, choices.some((c) => c.value === value) ? value : (choices[0]?.value ?? ''));
    },
  };
}

export function checkbox(options: { label: string; checked: boolean; id?: string }): Field<boolean> {
  const element = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
  element.textContent = options.label;
  if (options.checked) element.setAttribute('checked', '');
  if (options.id) element.id = options.id;
  return {
    element,
    get: () => element.checked,
    set: (checked) => {
      element.checked = checked;
    },
    onChange: (listener) => element.addEventListener('change', listener),
    setDisabled: (disabled) => element.toggleAttribute('disabled', disabled),
  };
}

export interface Button {
  readonly element: HTMLElement;
  onClick(listener: () => void): void;
  setDisabled(disabled: boolean): void;
  setLabel(label: string): void;
}

export function button(options: { label: string; appearance?: 'primary' | 'secondary'; title?: string; id?: string }): Button {
  const element = document.createElement('vscode-button');
  element.textContent = options.label;
  element.setAttribute('appearance', options.appearance ?? 'primary');
  if (options.title) element.title = options.title;
  if (options.id) element.id = options.id;
  return {
    element,
    onClick: (listener) => element.addEventListener('click', () => !element.hasAttribute('disabled') && listener()),
    setDisabled: (disabled) => element.toggleAttribute('disabled', disabled),
    setLabel: (label) => {
      element.textContent = label;
    },
  };
}

export function divider(): HTMLElement {
  return document.createElement('vscode-divider');
}
