/**
 * Sample text for the language detector's character and word profiles, written for this
 * project in the register the platform sees: council notices, residents' posts, replies.
 * English and Welsh are the languages Townsquare detects and routes. The short samples of
 * other European languages only give the detector somewhere else to put text that is
 * neither, so it can answer "und" (undetermined) instead of forcing a guess.
 */

export const ENGLISH_SAMPLE = `The council has agreed a new plan for the town centre. Residents told us that they want
safer streets, more trees and better buses, so we are changing the way we look after the roads and the parks. If you
have a question about your bins, your council tax or a planning application, you can contact us online or call the
office between nine and five on weekdays. We would like to hear what you think about the proposals before the end of
the month. Thank you to everyone who came to the meeting last night; it was great to see so many people from the local
community. The library will be closed on Monday because of the bank holiday, and it will open again on Tuesday
morning. There has been a lot of rain this week and some of the footpaths near the river are flooded, so please take
care when you are walking the dog. I can't believe the potholes on my road still haven't been fixed, it's been months
and nobody seems to care. Really pleased with how quickly the team sorted out the broken street light outside our
house. What time does the swimming pool open on Saturdays? Does anyone know if the park and ride is running during the
festival? We're proud of our volunteers who picked up litter along the beach this weekend. The school children planted
flowers in the square and it looks lovely now. Should we spend more money on housing, health or education? Please sign
the petition and share it with your friends and family. The new cycle lane is a good idea but it needs to be wider and
properly lit at night. Traffic was terrible this morning because of the roadworks on the bridge. I think the decision
was wrong and they should listen to people who actually live here. Our ward has some of the highest rents in the
country and young people are being forced to move away. Free parking for the first hour would help small shops and
cafes on the high street. Have your say on the budget: which projects would you choose for your neighbourhood? We have
received your message and one of our officers will reply within two working days. Thanks for getting in touch with us
about this. This is absolutely brilliant news for the whole area! Why is nothing ever done about the noise from the
late night bars? Everything seems to be getting more expensive and wages are not keeping up. Voting closes at midnight
on Friday, so there is still time to take part. Come along to the drop in session at the community hall and talk to
the people who are working on the project. Just watched the match with my brother, what a game, can't wait for next
season. Happy birthday mate, hope you have an amazing day! Anyone else stuck in this queue? My phone keeps dying and I
have no idea why. Good morning everybody, lovely sunny weather today. So tired of people parking across my driveway.`

export const WELSH_SAMPLE = `Mae'r cyngor wedi cytuno ar gynllun newydd ar gyfer canol y dref. Dywedodd trigolion
wrthym eu bod eisiau strydoedd mwy diogel, mwy o goed a bysiau gwell, felly rydym yn newid y ffordd rydym yn gofalu am
y ffyrdd a'r parciau. Os oes gennych gwestiwn am eich biniau, eich treth gyngor neu gais cynllunio, gallwch gysylltu
â ni ar-lein neu ffonio'r swyddfa rhwng naw a phump yn ystod yr wythnos. Hoffem glywed eich barn am y cynigion cyn
diwedd y mis. Diolch i bawb a ddaeth i'r cyfarfod neithiwr; roedd hi'n wych gweld cymaint o bobl o'r gymuned leol.
Bydd y llyfrgell ar gau ddydd Llun oherwydd gŵyl y banc, a bydd yn agor eto fore Mawrth. Mae wedi bwrw glaw yn drwm
yr wythnos hon ac mae rhai o'r llwybrau ger yr afon dan ddŵr, felly byddwch yn ofalus wrth fynd â'r ci am dro. Dw i
ddim yn gallu credu bod y tyllau yn y ffordd heb gael eu trwsio eto, mae wedi bod yn fisoedd a does neb yn poeni.
Rwy'n falch iawn bod y tîm wedi trwsio golau'r stryd mor gyflym. Faint o'r gloch mae'r pwll nofio yn agor ar ddydd
Sadwrn? Ydy rhywun yn gwybod a yw'r bws parcio a theithio yn rhedeg yn ystod yr ŵyl? Rydyn ni'n falch o'n
gwirfoddolwyr a fu'n casglu sbwriel ar hyd y traeth y penwythnos hwn. Plannodd plant yr ysgol flodau yn y sgwâr ac
mae'n edrych yn hyfryd nawr. A ddylen ni wario mwy o arian ar dai, iechyd neu addysg? Llofnodwch y ddeiseb a'i
rhannu gyda'ch ffrindiau a'ch teulu. Mae'r lôn feiciau newydd yn syniad da ond mae angen iddi fod yn lletach ac
wedi'i goleuo'n iawn yn y nos. Roedd y traffig yn ofnadwy y bore 'ma oherwydd y gwaith ffordd ar y bont. Rwy'n meddwl
bod y penderfyniad yn anghywir a dylen nhw wrando ar y bobl sy'n byw yma go iawn. Mae gan ein ward rai o'r rhenti
uchaf yn y wlad ac mae pobl ifanc yn gorfod symud i ffwrdd. Byddai parcio am ddim am yr awr gyntaf yn helpu siopau
bach a chaffis ar y stryd fawr. Dweud eich dweud am y gyllideb: pa brosiectau fyddech chi'n eu dewis ar gyfer eich
cymdogaeth? Rydym wedi derbyn eich neges a bydd un o'n swyddogion yn ateb o fewn dau ddiwrnod gwaith. Diolch am
gysylltu â ni am hyn. Newyddion gwych i'r ardal gyfan! Pam nad oes dim byd yn cael ei wneud am y sŵn o'r bariau
hwyr? Mae popeth yn mynd yn ddrutach a dydy cyflogau ddim yn cadw i fyny. Mae'r pleidleisio'n cau am hanner nos ddydd
Gwener, felly mae amser o hyd i gymryd rhan. Dewch draw i'r sesiwn galw heibio yn neuadd y gymuned i siarad â'r bobl
sy'n gweithio ar y prosiect. Croeso i Gymru! Bore da, sut wyt ti? Nos da a diolch yn fawr. Iechyd da! Pob lwc i'r tîm
heno. Newydd wylio'r gêm gyda fy mrawd, am gêm, alla i ddim aros am y tymor nesaf. Penblwydd hapus, gobeithio cei di
ddiwrnod gwych! Oes rhywun arall yn sownd yn y ciw yma? Bore da bawb, tywydd braf heddiw. Wedi blino ar bobl yn
parcio o flaen fy nhŷ. Mae'r ysgol Gymraeg leol yn llawn ac mae angen mwy o lefydd i blant yr ardal.`

/** Decoys: text that is neither English nor Welsh. */
export const OTHER_SAMPLES: Readonly<Record<string, string>> = {
  fr: `Le conseil municipal a adopté un nouveau plan pour le centre-ville. Les habitants nous ont dit qu'ils veulent
des rues plus sûres, plus d'arbres et de meilleurs bus. Si vous avez une question sur vos poubelles ou sur les impôts
locaux, vous pouvez nous contacter en ligne. Merci à tous ceux qui sont venus à la réunion hier soir, c'était vraiment
formidable de voir autant de monde. La bibliothèque sera fermée lundi. Je ne comprends pas pourquoi la route n'est
toujours pas réparée.`,
  de: `Der Stadtrat hat einen neuen Plan für die Innenstadt beschlossen. Die Bewohner haben uns gesagt, dass sie
sicherere Straßen, mehr Bäume und bessere Busse wollen. Wenn Sie eine Frage zu Ihrer Mülltonne oder zur Grundsteuer
haben, können Sie uns online kontaktieren. Vielen Dank an alle, die gestern Abend zur Versammlung gekommen sind. Die
Bibliothek ist am Montag geschlossen. Ich verstehe nicht, warum die Straße immer noch nicht repariert ist.`,
  es: `El ayuntamiento ha aprobado un nuevo plan para el centro de la ciudad. Los vecinos nos dijeron que quieren calles
más seguras, más árboles y mejores autobuses. Si tiene alguna pregunta sobre la recogida de basura o los impuestos
municipales, puede ponerse en contacto con nosotros por internet. Gracias a todos los que vinieron a la reunión de
anoche. La biblioteca estará cerrada el lunes. No entiendo por qué todavía no han arreglado la calle.`,
  it: `Il consiglio comunale ha approvato un nuovo piano per il centro della città. I cittadini ci hanno detto che
vogliono strade più sicure, più alberi e autobus migliori. Se avete una domanda sulla raccolta dei rifiuti o sulle
tasse locali, potete contattarci online. Grazie a tutti quelli che sono venuti alla riunione di ieri sera. La
biblioteca sarà chiusa lunedì. Non capisco perché la strada non è ancora stata riparata.`,
  nl: `De gemeenteraad heeft een nieuw plan voor het centrum aangenomen. De bewoners vertelden ons dat ze veiligere
straten, meer bomen en betere bussen willen. Als u een vraag heeft over uw afvalbak of de gemeentelijke belastingen,
kunt u online contact met ons opnemen. Bedankt aan iedereen die gisteravond naar de bijeenkomst kwam. De bibliotheek
is maandag gesloten. Ik begrijp niet waarom de weg nog steeds niet gerepareerd is.`,
  pt: `A câmara municipal aprovou um novo plano para o centro da cidade. Os moradores disseram-nos que querem ruas mais
seguras, mais árvores e melhores autocarros. Se tiver alguma pergunta sobre a recolha do lixo ou os impostos locais,
pode contactar-nos pela internet. Obrigado a todos os que vieram à reunião de ontem à noite. A biblioteca estará
fechada na segunda-feira. Não percebo porque é que a estrada ainda não foi arranjada.`,
  pl: `Rada miasta przyjęła nowy plan dla centrum. Mieszkańcy powiedzieli nam, że chcą bezpieczniejszych ulic, więcej
drzew i lepszych autobusów. Jeśli mają Państwo pytanie dotyczące odbioru śmieci lub podatków lokalnych, prosimy o
kontakt przez internet. Dziękujemy wszystkim, którzy przyszli wczoraj wieczorem na spotkanie. Biblioteka będzie
zamknięta w poniedziałek. Nie rozumiem, dlaczego droga wciąż nie jest naprawiona.`,
  ga: `Tá plean nua aontaithe ag an gcomhairle do lár an bhaile. Dúirt na háitritheoirí linn go bhfuil sráideanna níos
sábháilte, níos mó crann agus busanna níos fearr uathu. Má tá ceist agat faoi do bhoscaí bruscair nó faoi na cánacha
áitiúla, is féidir leat teagmháil a dhéanamh linn ar líne. Go raibh maith agaibh go léir a tháinig chuig an
gcruinniú aréir. Beidh an leabharlann dúnta Dé Luain. Ní thuigim cén fáth nach bhfuil an bóthar deisithe fós.`,
}
