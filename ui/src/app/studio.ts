/** The studio's one open document, with React hooks to read it. */
import { useStore } from "zustand";
import { createDocument, documentActions, type DocumentState } from "./document";

export const documentStore = createDocument();
export const actions = documentActions(documentStore);

export function useDocument<T>(selector: (state: DocumentState) => T): T {
  return useStore(documentStore, selector);
}
