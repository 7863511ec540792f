import { mount } from 'svelte';
import App from './App.svelte';
import { getApi } from './lib/api';
import { AppState } from './lib/app.svelte';
import './styles/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');

const app = new AppState(getApi());
mount(App, { target, props: { app } });
