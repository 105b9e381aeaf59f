// Small German, French and Spanish word lists scored like AFINN (-5..5), for the `sentiment` package's
// registerLanguage. Honest scope: a few dozen common feedback words per language, not a full lexicon;
// English uses the package's complete AFINN-165 list.
import type { Language } from './stopwords';

type Lexicon = { labels: Record<string, number>; negators: string[] };

export const LEXICONS: Record<Exclude<Language, 'en'>, Lexicon> = {
  de: {
    labels: {
      gut: 3, super: 3, toll: 3, prima: 3, klasse: 3, schnell: 2, einfach: 1, freundlich: 2, zufrieden: 2,
      perfekt: 3, hervorragend: 4, ausgezeichnet: 4, liebe: 3, danke: 2, hilfreich: 2, schön: 3, empfehlen: 2,
      schlecht: -3, schrecklich: -3, furchtbar: -3, langsam: -2, kaputt: -3, defekt: -3, fehler: -2,
      problem: -2, probleme: -2, ärgerlich: -2, enttäuscht: -2, enttäuschend: -2, teuer: -1, nutzlos: -2,
      unmöglich: -2, katastrophe: -3, betrug: -4, frustrierend: -2, verwirrend: -2, nie: -1, leider: -1,
    },
    negators: ['nicht', 'kein', 'keine', 'keinen', 'nie'],
  },
  fr: {
    labels: {
      bon: 3, bien: 2, super: 3, excellent: 4, parfait: 3, rapide: 2, facile: 2, merci: 2, génial: 3,
      satisfait: 2, agréable: 2, top: 3, adore: 3, recommande: 2, pratique: 2, efficace: 2,
      mauvais: -3, nul: -3, lent: -2, lente: -2, cassé: -3, cassée: -3, erreur: -2, problème: -2,
      bug: -2, horrible: -3, décevant: -2, déçu: -2, déçue: -2, cher: -1, inutile: -2, arnaque: -4,
      impossible: -2, frustrant: -2, pire: -3, jamais: -1, compliqué: -2,
    },
    negators: ['pas', 'jamais', 'rien', 'aucun', 'aucune'],
  },
  es: {
    labels: {
      bueno: 3, buena: 3, bien: 2, excelente: 4, genial: 3, perfecto: 3, rápido: 2, rapido: 2, fácil: 2,
      facil: 2, gracias: 2, encanta: 3, recomiendo: 2, contento: 2, útil: 2, agradable: 2,
      malo: -3, mala: -3, lento: -2, lenta: -2, roto: -3, rota: -3, error: -2, problema: -2, horrible: -3,
      terrible: -3, decepcionado: -2, decepcionante: -2, caro: -1, inútil: -2, estafa: -4, imposible: -2,
      frustrante: -2, peor: -3, nunca: -1, complicado: -2,
    },
    negators: ['no', 'nunca', 'nada', 'tampoco', 'ni'],
  },
};
