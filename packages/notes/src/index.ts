export { NoteStore } from './store/note-store.js';
