import { mount } from 'svelte';
import App from './App.svelte';
import { getApi } from './lib/api';
import { AppState } from './lib/app.svelte';
import { watchStore } from './lib/live';
import './styles/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');

const app = new AppState(getApi());
// A colleague's change on the desk's shared store refreshes what this window shows.
watchStore(app);
// The first view: the queue when there is work in it, else New case.
void app.chooseStartView().finally(() => mount(App, { target, props: { app } }));
