// Common function words per language. Used to guess a comment's language and to keep them out of
// the "top words" of negative comments.
export type Language = 'en' | 'de' | 'fr' | 'es';
/** A comment's language as shown and counted: one of the four, or `other` (mostly another script). */
export type CommentLanguage = Language | 'other';
export const LANGUAGES: readonly Language[] = ['en', 'de', 'fr', 'es'];

const words = (list: string): Set<string> => new Set(list.split(/\s+/).filter(Boolean));

export const STOPWORDS: Record<Language, Set<string>> = {
  en: words(`a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers him his how i if in into is it its itself just me more most my myself no
    nor not now of off on once only or other our ours out over own same she should so some such than that
    the their theirs them then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours im ive its dont didnt cant
    wont isnt wasnt also get got one really still even much`),
  de: words(`aber alle allem allen aller alles als also am an ander andere anderen auch auf aus bei bin bis
    bist da damit dann das dass dein deine dem den der des dich die dies diese dieser dieses dir doch dort du
    durch ein eine einem einen einer eines er es etwas euch euer für gegen hab habe haben hat hatte ich ihm
    ihn ihr im in ist ja jede jedem jeden jeder jetzt kann mein meine mich mir mit muss nach nicht nichts noch
    nun nur ob oder ohne schon sehr sein seine sich sie sind so über um und uns unser unter vom von vor war
    waren warum was weil wenn wer wie wieder wir wird wo zu zum zur kein keine einfach`),
  fr: words(`a ai au aux avec avoir c ce ces cet cette d dans de des du elle elles en est et été être eu il
    ils j je l la le les leur lui m ma mais me même mes moi mon n ne nos notre nous on ou où par pas pour
    qu que qui s sa se ses si son sur t ta te tes toi ton tu un une vos votre vous y très c'est j'ai n'est
    qu'il plus tout tous fait`),
  es: words(`a al algo como con de del el ella ellos en era es esa ese esta este esto fue ha hay la las le
    les lo los me mi muy más mas ni no nos o para pero por que qué se si sin son su sus también te tengo
    tiene todo tu un una uno y ya yo está estaba he han`),
};
