/**
 * Stop words for English and Welsh: function words that carry no topic. Written for this
 * project. The Welsh list includes the mutated forms that follow common particles (for
 * example "fod" after "bod", "ddim" for "dim") and the clitic forms ("'r", "'n").
 */

const ENGLISH = `a about above across after afterwards again against all almost alone along already also although
always am among amongst an and another any anybody anyhow anyone anything anyway anywhere are around as at back be
became because become becomes been before beforehand behind being below beside besides between beyond both but by can
cannot could did do does doing done down during each either else elsewhere enough etc even ever every everybody
everyone everything everywhere except few for from further get gets getting go goes going gone got gotten had has have
having he her here hereby herein hers herself him himself his how however i if in indeed instead into is it its itself
just keep kept last least less let like likely made make makes many may maybe me meanwhile might mine more moreover most
mostly much must my myself namely near neither never nevertheless next no nobody none noone nor not nothing now nowhere
of off often on once one only onto or other others otherwise our ours ourselves out over own per perhaps please put
quite rather re really said same say says see seem seemed seeming seems several she should since so some somebody
somehow someone something sometime sometimes somewhere still such than that the their theirs them themselves then
thence there thereafter thereby therefore therein these they thing things this those though through throughout thru
thus to together too toward towards under until up upon us use used using very via was we well were what whatever when
whence whenever where whereas wherever whether which while who whoever whole whom whose why will with within without
would yet you your yours yourself yourselves
im i'm ive i've id i'd ill i'll youre you're youve you've youll you'll youd you'd hes he's shes she's its it's were
we're weve we've well we'll wed we'd theyre they're theyve they've theyll they'll theyd they'd thats that's theres
there's whats what's whos who's isnt isn't arent aren't wasnt wasn't werent weren't dont don't doesnt doesn't didnt
didn't havent haven't hasnt hasn't hadnt hadn't wont won't wouldnt wouldn't cant can't couldnt couldn't shouldnt
shouldn't lets let's
rt amp via http https www com co uk lol omg u ur r n yeah yes ok okay oh hey hi hello thanks thank pls plz
today tomorrow yesterday tonight day days week weeks year years time times lot lots bit new good great
came come comes coming went gone goes take takes took taken taking give gives gave given giving tell tells told
know knows knew known think thinks thought want wants wanted need needs needed look looks looked looking find found
seems seemed ask asked asking feel felt try tried trying call called show shown put puts start started stop stopped
nearly almost actually literally basically probably definitely totally pretty enough ever always again soon later
early already right left big small little long far next last first second third lots loads sure thing stuff way
ways anyone someone everyone people`

const WELSH = `a ac ag am ar at bod fod bydd fydd byddai fyddai byddwn fyddwn bu fu buodd fuodd cael gael chael
cyn gyn dan o dros drwy trwy tros dy e ef efe efo ei eich ein eu fe fy fi gan gyda gydag hi hwy hwythau hon hwn hyn
hynny hyd i iddo iddi iddyn ichi inni is mae maen maent mai mewn mi na nac nad nage naill neu ni nid nhw noder o oedd
oeddem oeddech oeddent oes ond os pa pan pe pob pwy rhag rhai rhaid roedd roeddwn roedden rydw rydych rydym rydyn
rwy rwyf sy sydd sut tan ti wedi wrth y yn yr ym yng ydy ydw ydych ydyn ydym yw ydyw ydi beth ble pam hefyd iawn
dim ddim felly fel yma yna yno hwnnw honno nawr rŵan eto dros drosodd gennych gennym gen gennyf ganddo ganddi
ganddyn arno arni arnyn iddynt amdano amdani ohono ohoni yno mwy mwyaf llawer lawer rhywun rhywbeth unrhyw pawb
popeth dyma dyna dw dwi wyt wyf chi ni nhw fo hi o'r i'r a'r ar y 'r 'n i'n o'n sy'n mae'n mae'r oedd yn ydy'r
dydy dyw does doedd fydd gallu gall gallwch gellir angen eisiau ar gyfer gyfer ynghylch ynglŷn ynglyn am`

function wordSet(list: string): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter((w) => w.length > 0))
}

export const ENGLISH_STOP_WORDS: ReadonlySet<string> = wordSet(ENGLISH)
export const WELSH_STOP_WORDS: ReadonlySet<string> = wordSet(WELSH)

/** Stop words for a language code; an unknown language gets both lists. */
export function stopWordsFor(language: string): ReadonlySet<string> {
  if (language === 'en') return ENGLISH_STOP_WORDS
  if (language === 'cy') return WELSH_STOP_WORDS
  return BOTH
}

const BOTH: ReadonlySet<string> = new Set([...ENGLISH_STOP_WORDS, ...WELSH_STOP_WORDS])

/** True if the word is a stop word in the language (curly apostrophes are straightened first). */
export function isStopWord(word: string, language = 'en'): boolean {
  const w = word.toLowerCase().replace(/[’‘]/g, "'")
  return stopWordsFor(language).has(w)
}
