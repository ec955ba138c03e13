<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>AdministrationWindow</name>
    <message>
        <source>officer</source>
        <translation>agent</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>superviseur</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>administrateur</translation>
    </message>
    <message>
        <source>Checkpoint — administration ({user})</source>
        <translation>Checkpoint — administration ({user})</translation>
    </message>
    <message>
        <source>&amp;Watchlists</source>
        <translation>&amp;Listes de surveillance</translation>
    </message>
    <message>
        <source>&amp;Outbox</source>
        <translation>&amp;File d’envoi</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Paramètres</translation>
    </message>
    <message>
        <source>&amp;Users</source>
        <translation>&amp;Utilisateurs</translation>
    </message>
    <message>
        <source>{user} ({role}) may not administer this station: ask an administrator.</source>
        <translation>{user} ({role}) ne peut pas administrer ce poste : adressez-vous à un administrateur.</translation>
    </message>
</context>
<context>
    <name>AdministratorPage</name>
    <message>
        <source>First administrator</source>
        <translation>Premier administrateur</translation>
    </message>
    <message>
        <source>The administrator adds the other users. Setting the station up encrypts its database with a key only users&apos; passwords (and a recovery key) unlock.</source>
        <translation>L’administrateur crée les autres utilisateurs. La configuration chiffre la base de données du poste avec une clé que seuls les mots de passe des utilisateurs (et une clé de secours) déverrouillent.</translation>
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation>&amp;Identifiant :</translation>
    </message>
    <message>
        <source>&amp;Password (at least {count} characters):</source>
        <translation>&amp;Mot de passe (au moins {count} caractères) :</translation>
    </message>
    <message>
        <source>&amp;Repeat the password:</source>
        <translation>&amp;Répéter le mot de passe :</translation>
    </message>
    <message>
        <source>The password is too short: use at least {count} characters.</source>
        <translation>Le mot de passe est trop court : utilisez au moins {count} caractères.</translation>
    </message>
    <message>
        <source>The two passwords differ: type the same one twice.</source>
        <translation>Les deux mots de passe diffèrent : saisissez deux fois le même.</translation>
    </message>
</context>
<context>
    <name>BundlePage</name>
    <message>
        <source>First watchlist</source>
        <translation>Première liste de surveillance</translation>
    </message>
    <message>
        <source>A signed bundle from HQ: a file (USB stick, download) or fetched from HQ at the address given on the station page.</source>
        <translation>Un paquet signé par le QG : un fichier (clé USB, téléchargement) ou récupéré auprès du QG à l’adresse indiquée sur la page du poste.</translation>
    </message>
    <message>
        <source>From a &amp;file</source>
        <translation>Depuis un &amp;fichier</translation>
    </message>
    <message>
        <source>Fetch from &amp;HQ</source>
        <translation>Récupérer auprès du &amp;QG</translation>
    </message>
    <message>
        <source>Watchlist bundle</source>
        <translation>Paquet de liste de surveillance</translation>
    </message>
    <message>
        <source>Watchlist bundles (*.zip)</source>
        <translation>Paquets de listes de surveillance (*.zip)</translation>
    </message>
    <message>
        <source>Fetching needs HQ&apos;s address and the station token (station page).</source>
        <translation>La récupération demande l’adresse du QG et le jeton du poste (page du poste).</translation>
    </message>
    <message>
        <source>HQ at {url}</source>
        <translation>QG à l’adresse {url}</translation>
    </message>
    <message>
        <source>{name} version {version}, expires {expires}</source>
        <translation>{name} version {version}, expire le {expires}</translation>
    </message>
</context>
<context>
    <name>CameraPage</name>
    <message>
        <source>Camera test</source>
        <translation>Essai de la caméra</translation>
    </message>
    <message>
        <source>Choose the desk&apos;s camera (a number, a device, a folder of images or a video) and check its live picture below.</source>
        <translation>Choisissez la caméra du guichet (un numéro, un périphérique, un dossier d’images ou une vidéo) et vérifiez son image en direct ci-dessous.</translation>
    </message>
    <message>
        <source>&amp;Test</source>
        <translation>T&amp;ester</translation>
    </message>
    <message>
        <source>Use the &amp;demo source</source>
        <translation>Utiliser la source de &amp;démonstration</translation>
    </message>
    <message>
        <source>No picture yet</source>
        <translation>Pas encore d’image</translation>
    </message>
    <message>
        <source>&amp;Source:</source>
        <translation>Sour&amp;ce :</translation>
    </message>
    <message>
        <source>Opening {source}…</source>
        <translation>Ouverture de {source}…</translation>
    </message>
    <message>
        <source>No picture</source>
        <translation>Pas d’image</translation>
    </message>
    <message>
        <source>{message} Or use the demo source.</source>
        <translation>{message} Ou utilisez la source de démonstration.</translation>
    </message>
    <message>
        <source>No picture from {source}: check the cable, the lens cover and that no other program uses the camera, or use the demo source.</source>
        <translation>Aucune image de {source} : vérifiez le câble, le cache de l’objectif et qu’aucun autre programme n’utilise la caméra, ou utilisez la source de démonstration.</translation>
    </message>
</context>
<context>
    <name>DeskWindow</name>
    <message>
        <source>Checkpoint — desk ({officer})</source>
        <translation>Checkpoint — guichet ({officer})</translation>
    </message>
    <message>
        <source>No frame yet</source>
        <translation>Pas encore d’image</translation>
    </message>
    <message>
        <source>Choose a reason to dismiss…</source>
        <translation>Choisir un motif d’écartement…</translation>
    </message>
    <message>
        <source>&amp;Refer to second line (F8)</source>
        <translation>&amp;Renvoyer en seconde ligne (F8)</translation>
    </message>
    <message>
        <source>&amp;Dismiss with reason (F9)</source>
        <translation>É&amp;carter avec un motif (F9)</translation>
    </message>
    <message>
        <source>&amp;Next traveller (F12)</source>
        <translation>&amp;Voyageur suivant (F12)</translation>
    </message>
    <message>
        <source>Screening</source>
        <translation>Criblage</translation>
    </message>
    <message>
        <source>lists: …</source>
        <translation>listes : …</translation>
    </message>
    <message>
        <source>outbox: …</source>
        <translation>envois : …</translation>
    </message>
    <message>
        <source>HQ: …</source>
        <translation>QG : …</translation>
    </message>
    <message>
        <source>{source}: starting</source>
        <translation>{source} : démarrage</translation>
    </message>
    <message>
        <source>Loading the readers…</source>
        <translation>Chargement des lecteurs…</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>Verrouillé</translation>
    </message>
    <message>
        <source>Waiting for a document</source>
        <translation>En attente d’un document</translation>
    </message>
    <message>
        <source>The desk cannot screen: {message}</source>
        <translation>Le guichet ne peut pas cribler : {message}</translation>
    </message>
    <message>
        <source>HIT — {count} to decide: F8 refer to second line, F9 dismiss with a reason</source>
        <translation>SIGNALEMENT — {count} à décider : F8 renvoi en seconde ligne, F9 écarter avec un motif</translation>
    </message>
    <message>
        <source>HIT — {count} on the document or lists, being recorded…</source>
        <translation>SIGNALEMENT — {count} sur le document ou les listes, enregistrement en cours…</translation>
    </message>
    <message>
        <source>Hit decided — F12 for the next traveller</source>
        <translation>Signalement décidé — F12 pour le voyageur suivant</translation>
    </message>
    <message>
        <source>No hit on the document or lists, {count} alert(s) — face check under way…</source>
        <translation>Aucun signalement sur le document ni les listes, {count} alerte(s) — contrôle du visage en cours…</translation>
    </message>
    <message>
        <source>NO HIT — {count} alert(s) to check</source>
        <translation>AUCUN SIGNALEMENT — {count} alerte(s) à vérifier</translation>
    </message>
    <message>
        <source>CLEAR — no hits</source>
        <translation>RAS — aucun signalement</translation>
    </message>
    <message>
        <source>Choose why the hit is dismissed (arrow keys), then press F9 again.</source>
        <translation>Choisissez pourquoi le signalement est écarté (flèches), puis appuyez à nouveau sur F9.</translation>
    </message>
    <message>
        <source>Referred to second line.</source>
        <translation>Renvoyé en seconde ligne.</translation>
    </message>
    <message>
        <source>Hit dismissed.</source>
        <translation>Signalement écarté.</translation>
    </message>
    <message>
        <source>Decide the hit first: F8 refers to second line, F9 dismisses with a reason.</source>
        <translation>Décidez d’abord du signalement : F8 le renvoie en seconde ligne, F9 l’écarte avec un motif.</translation>
    </message>
    <message>
        <source>Old records could not be purged: {message}</source>
        <translation>Les anciens enregistrements n’ont pas pu être purgés : {message}</translation>
    </message>
    <message>
        <source>status: {message}</source>
        <translation>état : {message}</translation>
    </message>
    <message>
        <source>NONE</source>
        <translation>AUCUNE</translation>
    </message>
    <message>
        <source>lists: </source>
        <translation>listes : </translation>
    </message>
    <message>
        <source>HQ: not configured</source>
        <translation>QG : non configuré</translation>
    </message>
    <message>
        <source>HQ: reachable</source>
        <translation>QG : joignable</translation>
    </message>
    <message>
        <source>HQ: unreachable ({detail})</source>
        <translation>QG : injoignable ({detail})</translation>
    </message>
    <message>
        <source>{days} d</source>
        <translation>{days} j</translation>
    </message>
    <message>
        <source>{hours} h</source>
        <translation>{hours} h</translation>
    </message>
    <message>
        <source>{age}, STALE</source>
        <translation>{age}, PÉRIMÉE</translation>
    </message>
    <message>
        <source>{list} v{version} ({age})</source>
        <translation>{list} v{version} ({age})</translation>
    </message>
    <message>
        <source>outbox {pending} pending</source>
        <translation>envois : {pending} en attente</translation>
    </message>
    <message>
        <source>, {failed} failed</source>
        <translation>, {failed} en échec</translation>
    </message>
    <message>
        <source> (oldest {minutes} min)</source>
        <translation> (le plus ancien : {minutes} min)</translation>
    </message>
    <message>
        <source>{source}: on</source>
        <translation>{source} : active</translation>
    </message>
    <message>
        <source>{source}: off</source>
        <translation>{source} : arrêtée</translation>
    </message>
    <message>
        <source>{source}: no frames</source>
        <translation>{source} : aucune image</translation>
    </message>
    <message>
        <source>{source}: {problem}</source>
        <translation>{source} : {problem}</translation>
    </message>
</context>
<context>
    <name>FieldsModel</name>
    <message>
        <source>Field</source>
        <translation>Champ</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Contrôle</translation>
    </message>
</context>
<context>
    <name>FileField</name>
    <message>
        <source>&amp;Browse…</source>
        <translation>Pa&amp;rcourir…</translation>
    </message>
</context>
<context>
    <name>FindingsModel</name>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Score</translation>
    </message>
    <message>
        <source>Listed</source>
        <translation>Fiche</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Décision</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <source>Checkpoint — first start</source>
        <translation>Checkpoint — premier démarrage</translation>
    </message>
</context>
<context>
    <name>HitDetailDialog</name>
    <message>
        <source>referred to second line</source>
        <translation>renvoyé en seconde ligne</translation>
    </message>
    <message>
        <source>dismissed</source>
        <translation>écarté</translation>
    </message>
    <message>
        <source>not decided yet</source>
        <translation>pas encore décidé</translation>
    </message>
    <message>
        <source>{when} — {who} overturned to {outcome}: {reason}</source>
        <translation>{when} — {who} a infirmé la décision ({outcome}) : {reason}</translation>
    </message>
    <message>
        <source>{when} — {who} noted: {note}</source>
        <translation>{when} — {who} a annoté : {note}</translation>
    </message>
    <message>
        <source>Hit {hit}</source>
        <translation>Signalement {hit}</translation>
    </message>
    <message>
        <source>Live face</source>
        <translation>Visage en direct</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Document</translation>
    </message>
    <message>
        <source>Listed person</source>
        <translation>Personne signalée</translation>
    </message>
    <message>
        <source>Loading the hit…</source>
        <translation>Chargement du signalement…</translation>
    </message>
    <message>
        <source>Hit</source>
        <translation>Signalement</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Station, officer</source>
        <translation>Poste, agent</translation>
    </message>
    <message>
        <source>List</source>
        <translation>Liste</translation>
    </message>
    <message>
        <source>Traveller</source>
        <translation>Voyageur</translation>
    </message>
    <message>
        <source>Listed</source>
        <translation>Fiche</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Constatations</translation>
    </message>
    <message>
        <source>Officer&apos;s decision</source>
        <translation>Décision de l’agent</translation>
    </message>
    <message>
        <source>Current state</source>
        <translation>État actuel</translation>
    </message>
    <message>
        <source>Reviews</source>
        <translation>Révisions</translation>
    </message>
    <message>
        <source>A note to annotate with, or the reason to overturn the decision</source>
        <translation>Une annotation, ou le motif pour infirmer la décision</translation>
    </message>
    <message>
        <source>&amp;Annotate (Ctrl+Enter)</source>
        <translation>&amp;Annoter (Ctrl+Entrée)</translation>
    </message>
    <message>
        <source>&amp;Overturn</source>
        <translation>&amp;Infirmer</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Fermer (Échap)</translation>
    </message>
    <message>
        <source>{kind} hit, score {score:.2f}: {reason}</source>
        <translation>Signalement {kind}, score {score:.2f} : {reason}</translation>
    </message>
    <message>
        <source>As seen at the desk</source>
        <translation>Tel que vu au guichet</translation>
    </message>
    <message>
        <source>No face was recorded with this hit.</source>
        <translation>Aucun visage n’a été enregistré avec ce signalement.</translation>
    </message>
    <message>
        <source>{number} ({issuer})</source>
        <translation>{number} ({issuer})</translation>
    </message>
    <message>
        <source>No document image was recorded with this hit.</source>
        <translation>Aucune image du document n’a été enregistrée avec ce signalement.</translation>
    </message>
    <message>
        <source>The list holds no photo of this entry:
{who}</source>
        <translation>La liste ne contient aucune photo de cette fiche :
{who}</translation>
    </message>
    <message>
        <source> (list was out of date)</source>
        <translation> (liste périmée)</translation>
    </message>
    <message>
        <source>{outcome} by {who} at {when}</source>
        <translation>{outcome} par {who} le {when}</translation>
    </message>
    <message>
        <source>{state} (overturned by a supervisor)</source>
        <translation>{state} (décision infirmée par un superviseur)</translation>
    </message>
    <message>
        <source>&amp;Overturn to {outcome}</source>
        <translation>&amp;Infirmer : {outcome}</translation>
    </message>
    <message>
        <source>Write the note to annotate the hit with first.</source>
        <translation>Rédigez d’abord l’annotation du signalement.</translation>
    </message>
    <message>
        <source>Write why the decision was wrong before overturning it.</source>
        <translation>Indiquez pourquoi la décision était erronée avant de l’infirmer.</translation>
    </message>
</context>
<context>
    <name>HitLogModel</name>
    <message>
        <source>Time (UTC)</source>
        <translation>Heure (UTC)</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Poste</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Score</translation>
    </message>
    <message>
        <source>List</source>
        <translation>Liste</translation>
    </message>
    <message>
        <source>Traveller</source>
        <translation>Voyageur</translation>
    </message>
    <message>
        <source>Listed</source>
        <translation>Fiche</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Décision</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>to decide</source>
        <translation>à décider</translation>
    </message>
    <message>
        <source>referred</source>
        <translation>renvoyé</translation>
    </message>
    <message>
        <source>dismissed</source>
        <translation>écarté</translation>
    </message>
    <message>
        <source>document alert</source>
        <translation>alerte documentaire</translation>
    </message>
    <message>
        <source>listed document</source>
        <translation>document signalé</translation>
    </message>
    <message>
        <source>name</source>
        <translation>nom</translation>
    </message>
    <message>
        <source>face</source>
        <translation>visage</translation>
    </message>
    <message>
        <source>portrait</source>
        <translation>photo</translation>
    </message>
    <message>
        <source>expired document</source>
        <translation>document expiré</translation>
    </message>
    <message>
        <source>check digits</source>
        <translation>chiffres de contrôle</translation>
    </message>
    <message>
        <source>specimen</source>
        <translation>spécimen</translation>
    </message>
    <message>
        <source>barcode</source>
        <translation>code-barres</translation>
    </message>
    <message>
        <source>stale list</source>
        <translation>liste périmée</translation>
    </message>
    <message>
        <source>{state} (overturned)</source>
        <translation>{state} (infirmé)</translation>
    </message>
</context>
<context>
    <name>HitLogWindow</name>
    <message>
        <source>Checkpoint — hit log ({user})</source>
        <translation>Checkpoint — registre des signalements ({user})</translation>
    </message>
    <message>
        <source>any</source>
        <translation>indifférente</translation>
    </message>
    <message>
        <source>All stations</source>
        <translation>Tous les postes</translation>
    </message>
    <message>
        <source>All officers</source>
        <translation>Tous les agents</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>Tous les types</translation>
    </message>
    <message>
        <source>All lists</source>
        <translation>Toutes les listes</translation>
    </message>
    <message>
        <source>Any decision</source>
        <translation>Toutes les décisions</translation>
    </message>
    <message>
        <source>To decide</source>
        <translation>À décider</translation>
    </message>
    <message>
        <source>Referred</source>
        <translation>Renvoyés</translation>
    </message>
    <message>
        <source>Dismissed</source>
        <translation>Écartés</translation>
    </message>
    <message>
        <source>Overturned</source>
        <translation>Infirmés</translation>
    </message>
    <message>
        <source>Search names, documents, reasons… (Ctrl+F)</source>
        <translation>Rechercher noms, documents, motifs… (Ctrl+F)</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>&amp;Du</translation>
    </message>
    <message>
        <source>&amp;To</source>
        <translation>&amp;Au</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Comptage…</translation>
    </message>
    <message>
        <source>Refresh (F5)</source>
        <translation>Actualiser (F5)</translation>
    </message>
    <message>
        <source>Export &amp;CSV… (Ctrl+E)</source>
        <translation>Exporter en &amp;CSV… (Ctrl+E)</translation>
    </message>
    <message>
        <source>Export &amp;PDF report… (Ctrl+P)</source>
        <translation>Exporter le rapport &amp;PDF… (Ctrl+P)</translation>
    </message>
    <message>
        <source>{count} hits</source>
        <translation>{count} signalements</translation>
    </message>
    <message>
        <source>Export the hit log as CSV</source>
        <translation>Exporter le registre des signalements en CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <source>Save the hit report</source>
        <translation>Enregistrer le rapport des signalements</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Fichiers PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Export en cours…</translation>
    </message>
    <message>
        <source>Exported {count} hits to {path}.</source>
        <translation>{count} signalements exportés dans {path}.</translation>
    </message>
    <message>
        <source>Computing the report…</source>
        <translation>Calcul du rapport…</translation>
    </message>
    <message>
        <source>Saved the report to {path}.</source>
        <translation>Rapport enregistré dans {path}.</translation>
    </message>
    <message>
        <source>all hits</source>
        <translation>tous les signalements</translation>
    </message>
</context>
<context>
    <name>HitReport</name>
    <message>
        <source>{n:.0f} s</source>
        <translation>{n:.0f} s</translation>
    </message>
    <message>
        <source>{n:.1f} min</source>
        <translation>{n:.1f} min</translation>
    </message>
    <message>
        <source>{n:.1f} h</source>
        <translation>{n:.1f} h</translation>
    </message>
    <message>
        <source>Checkpoint hit report</source>
        <translation>Rapport des signalements Checkpoint</translation>
    </message>
    <message>
        <source>Checkpoint — hit report</source>
        <translation>Checkpoint — rapport des signalements</translation>
    </message>
    <message>
        <source>Station {station}, generated {when} UTC</source>
        <translation>Poste {station}, établi le {when} UTC</translation>
    </message>
    <message>
        <source>Filter: {filter}</source>
        <translation>Filtre : {filter}</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Synthèse</translation>
    </message>
    <message>
        <source>Hits</source>
        <translation>Signalements</translation>
    </message>
    <message>
        <source>Decided by the officer</source>
        <translation>Décidés par l’agent</translation>
    </message>
    <message>
        <source>Undecided</source>
        <translation>Non décidés</translation>
    </message>
    <message>
        <source>Dismissed by the officer</source>
        <translation>Écartés par l’agent</translation>
    </message>
    <message>
        <source>Dismissal rate</source>
        <translation>Taux d’écartement</translation>
    </message>
    <message>
        <source>Overturned by a supervisor</source>
        <translation>Infirmés par un superviseur</translation>
    </message>
    <message>
        <source>Median time from hit to decision</source>
        <translation>Délai médian entre signalement et décision</translation>
    </message>
    <message>
        <source>Hits per kind</source>
        <translation>Signalements par type</translation>
    </message>
    <message>
        <source>Hits per month</source>
        <translation>Signalements par mois</translation>
    </message>
    <message>
        <source>Hits per day</source>
        <translation>Signalements par jour</translation>
    </message>
    <message>
        <source>Counts per day</source>
        <translation>Nombres par jour</translation>
    </message>
</context>
<context>
    <name>KeyPage</name>
    <message>
        <source>Watchlist signing key</source>
        <translation>Clé de signature des listes de surveillance</translation>
    </message>
    <message>
        <source>The public key HQ signs its watchlists with (a .pub file HQ gave you). The station imports only lists signed with a key it trusts.</source>
        <translation>La clé publique avec laquelle le QG signe ses listes de surveillance (un fichier .pub remis par le QG). Le poste n’importe que les listes signées par une clé de confiance.</translation>
    </message>
    <message>
        <source>HQ&apos;s public key</source>
        <translation>Clé publique du QG</translation>
    </message>
    <message>
        <source>Public keys (*.pub)</source>
        <translation>Clés publiques (*.pub)</translation>
    </message>
    <message>
        <source>Public &amp;key file:</source>
        <translation>Fichier de &amp;clé publique :</translation>
    </message>
    <message>
        <source>Key {key_id} ({name})</source>
        <translation>Clé {key_id} ({name})</translation>
    </message>
</context>
<context>
    <name>KeysModel</name>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Key id</source>
        <translation>Identifiant de clé</translation>
    </message>
    <message>
        <source>Signed the lists installed</source>
        <translation>A signé les listes installées</translation>
    </message>
</context>
<context>
    <name>ListsModel</name>
    <message>
        <source>{hours} h</source>
        <translation>{hours} h</translation>
    </message>
    <message>
        <source>{days} d</source>
        <translation>{days} j</translation>
    </message>
    <message>
        <source>List</source>
        <translation>Liste</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Ancienneté</translation>
    </message>
    <message>
        <source>Expires (UTC)</source>
        <translation>Expire (UTC)</translation>
    </message>
    <message>
        <source>Signer</source>
        <translation>Signataire</translation>
    </message>
    <message>
        <source>Persons</source>
        <translation>Personnes</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Alertes</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>EXPIRED: screening marks its hits stale</source>
        <translation>EXPIRÉE : le criblage marque ses signalements comme périmés</translation>
    </message>
    <message>
        <source>expires in {hours} h: fetch a new one</source>
        <translation>expire dans {hours} h : récupérez-en une nouvelle</translation>
    </message>
    <message>
        <source>current</source>
        <translation>à jour</translation>
    </message>
    <message>
        <source>Made {created} UTC, imported {imported} UTC</source>
        <translation>Établie le {created} UTC, importée le {imported} UTC</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Checkpoint — log in</source>
        <translation>Checkpoint — connexion</translation>
    </message>
    <message>
        <source>The station is locked ({user} was logged in). Log in to continue.</source>
        <translation>Le poste est verrouillé ({user} était connecté). Connectez-vous pour continuer.</translation>
    </message>
    <message>
        <source>Log in to open the station.</source>
        <translation>Connectez-vous pour ouvrir le poste.</translation>
    </message>
    <message>
        <source>&amp;Username</source>
        <translation>&amp;Identifiant</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>&amp;Mot de passe</translation>
    </message>
    <message>
        <source>Log &amp;in</source>
        <translation>Se &amp;connecter</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Annuler</translation>
    </message>
</context>
<context>
    <name>ManualEntry</name>
    <message>
        <source>Manual entry</source>
        <translation>Saisie manuelle</translation>
    </message>
    <message>
        <source>Type or paste the MRZ lines here (Ctrl+M)</source>
        <translation>Tapez ou collez les lignes de la BLA ici (Ctrl+M)</translation>
    </message>
    <message>
        <source>all check digits agree</source>
        <translation>tous les chiffres de contrôle concordent</translation>
    </message>
    <message>
        <source>check digits fail</source>
        <translation>chiffres de contrôle erronés</translation>
    </message>
</context>
<context>
    <name>NewUserDialog</name>
    <message>
        <source>New user</source>
        <translation>Nouvel utilisateur</translation>
    </message>
    <message>
        <source>&amp;Username</source>
        <translation>&amp;Identifiant</translation>
    </message>
    <message>
        <source>&amp;Role</source>
        <translation>&amp;Rôle</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>&amp;Mot de passe</translation>
    </message>
    <message>
        <source>Password &amp;again</source>
        <translation>&amp;Confirmer le mot de passe</translation>
    </message>
    <message>
        <source>The two passwords differ: type them again.</source>
        <translation>Les deux mots de passe diffèrent : saisissez-les à nouveau.</translation>
    </message>
</context>
<context>
    <name>OutboxModel</name>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Recorded (UTC)</source>
        <translation>Enregistré (UTC)</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Tentatives</translation>
    </message>
    <message>
        <source>Last attempt (UTC)</source>
        <translation>Dernière tentative (UTC)</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Dernière erreur</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>en attente</translation>
    </message>
    <message>
        <source>refused by HQ</source>
        <translation>refusé par le QG</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>envoyé</translation>
    </message>
</context>
<context>
    <name>OutboxPage</name>
    <message>
        <source>{days} d {hours} h</source>
        <translation>{days} j {hours} h</translation>
    </message>
    <message>
        <source>{hours} h {minutes} min</source>
        <translation>{hours} h {minutes} min</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} min</translation>
    </message>
    <message>
        <source>outbox: …</source>
        <translation>envois : …</translation>
    </message>
    <message>
        <source>HQ: …</source>
        <translation>QG : …</translation>
    </message>
    <message>
        <source>&amp;Retry now</source>
        <translation>&amp;Réessayer maintenant</translation>
    </message>
    <message>
        <source>&amp;Queue refused items again and retry</source>
        <translation>Remettre les envois refusés en file et ré&amp;essayer</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>Ac&amp;tualiser</translation>
    </message>
    <message>
        <source> (oldest queued {age} ago)</source>
        <translation> (le plus ancien en file depuis {age})</translation>
    </message>
    <message>
        <source>Pending {pending}{oldest}; refused by HQ {failed}; sent {sent}.</source>
        <translation>En attente : {pending}{oldest} ; refusés par le QG : {failed} ; envoyés : {sent}.</translation>
    </message>
    <message>
        <source>HQ: no address is set (see the Settings page).</source>
        <translation>QG : aucune adresse n’est définie (voir la page Paramètres).</translation>
    </message>
    <message>
        <source>HQ at {url} is reachable.</source>
        <translation>Le QG à l’adresse {url} est joignable.</translation>
    </message>
    <message>
        <source>HQ at {url} is unreachable: {detail}.</source>
        <translation>Le QG à l’adresse {url} est injoignable : {detail}.</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Envoi en cours…</translation>
    </message>
    <message>
        <source>{count} refused item(s) were queued again.</source>
        <translation>{count} envoi(s) refusé(s) remis en file.</translation>
    </message>
    <message>
        <source>Sent {sent} item(s) ({duplicates} were already at HQ).</source>
        <translation>{sent} envoi(s) transmis ({duplicates} déjà présents au QG).</translation>
    </message>
    <message>
        <source>HQ refused {failed} item(s) for good: see their last error.</source>
        <translation>Le QG a refusé définitivement {failed} envoi(s) : voir leur dernière erreur.</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>New password for {user}</source>
        <translation>Nouveau mot de passe pour {user}</translation>
    </message>
    <message>
        <source>New &amp;password</source>
        <translation>Nouveau &amp;mot de passe</translation>
    </message>
    <message>
        <source>Password &amp;again</source>
        <translation>&amp;Confirmer le mot de passe</translation>
    </message>
    <message>
        <source>The two passwords differ: type them again.</source>
        <translation>Les deux mots de passe diffèrent : saisissez-les à nouveau.</translation>
    </message>
</context>
<context>
    <name>RecoveryPage</name>
    <message>
        <source>Recovery key</source>
        <translation>Clé de secours</translation>
    </message>
    <message>
        <source>If every administrator password is lost, this key is the only way into the station&apos;s data. It is shown now and never again: print it or save it to a removable medium, and keep it locked away.</source>
        <translation>Si tous les mots de passe administrateur sont perdus, cette clé est le seul accès aux données du poste. Elle n’est affichée qu’une seule fois : imprimez-la ou enregistrez-la sur un support amovible, et conservez-la sous clé.</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>&amp;Imprimer…</translation>
    </message>
    <message>
        <source>Sa&amp;ve to file…</source>
        <translation>Enregistrer dans un &amp;fichier…</translation>
    </message>
    <message>
        <source>I have &amp;stored the recovery key</source>
        <translation>J’ai &amp;rangé la clé de secours en lieu sûr</translation>
    </message>
    <message>
        <source>Checkpoint recovery key for station {station}:

{key}

Keep it locked away; it opens the station&apos;s data without a password.
</source>
        <translation>Clé de secours Checkpoint du poste {station} :

{key}

Conservez-la sous clé : elle ouvre les données du poste sans mot de passe.
</translation>
    </message>
    <message>
        <source>The key could not be saved to {path} ({reason}): choose another place.</source>
        <translation>La clé n’a pas pu être enregistrée dans {path} ({reason}) : choisissez un autre emplacement.</translation>
    </message>
    <message>
        <source>Saved to {path}.</source>
        <translation>Enregistrée dans {path}.</translation>
    </message>
    <message>
        <source>Save the recovery key</source>
        <translation>Enregistrer la clé de secours</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>Fichiers texte (*.txt)</translation>
    </message>
    <message>
        <source>Sent to the printer.</source>
        <translation>Envoyée à l’imprimante.</translation>
    </message>
</context>
<context>
    <name>RoleDialog</name>
    <message>
        <source>Role of {user}</source>
        <translation>Rôle de {user}</translation>
    </message>
    <message>
        <source>&amp;Role</source>
        <translation>&amp;Rôle</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Station</source>
        <translation>Poste</translation>
    </message>
    <message>
        <source>Station identifier</source>
        <translation>Identifiant du poste</translation>
    </message>
    <message>
        <source>&amp;Test</source>
        <translation>&amp;Tester</translation>
    </message>
    <message>
        <source>Frame source</source>
        <translation>Source d’images</translation>
    </message>
    <message>
        <source>demo, a camera number, a device, a video file or a folder of images</source>
        <translation>demo, un numéro de caméra, un périphérique, un fichier vidéo ou un dossier d’images</translation>
    </message>
    <message>
        <source>Headquarters</source>
        <translation>Quartier général</translation>
    </message>
    <message>
        <source>HQ address</source>
        <translation>Adresse du QG</translation>
    </message>
    <message>
        <source>https://… or empty</source>
        <translation>https://… ou vide</translation>
    </message>
    <message>
        <source>Station token</source>
        <translation>Jeton du poste</translation>
    </message>
    <message>
        <source>Screening thresholds</source>
        <translation>Seuils de criblage</translation>
    </message>
    <message>
        <source>Name hit threshold</source>
        <translation>Seuil de signalement sur le nom</translation>
    </message>
    <message>
        <source>Score from 0 to 1 at which a name match is a hit.</source>
        <translation>Score de 0 à 1 à partir duquel une correspondance de nom donne un signalement.</translation>
    </message>
    <message>
        <source>Face false-alert rate</source>
        <translation>Taux de fausses alertes sur le visage</translation>
    </message>
    <message>
        <source>Target share of travellers falsely matched to a listed face, e.g. 0.0001.</source>
        <translation>Part visée de voyageurs rapprochés à tort d’un visage inscrit, par ex. 0.0001.</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>Comptes</translation>
    </message>
    <message>
        <source>Idle timeout (minutes)</source>
        <translation>Délai d’inactivité (minutes)</translation>
    </message>
    <message>
        <source>The station locks after this long without use.</source>
        <translation>Le poste se verrouille après ce délai sans utilisation.</translation>
    </message>
    <message>
        <source>Failed logins before lockout</source>
        <translation>Échecs de connexion avant blocage</translation>
    </message>
    <message>
        <source>Lockout (minutes)</source>
        <translation>Durée du blocage (minutes)</translation>
    </message>
    <message>
        <source>Retention</source>
        <translation>Conservation</translation>
    </message>
    <message>
        <source>Keep hits (days)</source>
        <translation>Conserver les signalements (jours)</translation>
    </message>
    <message>
        <source>Keep evidence images (days)</source>
        <translation>Conserver les images de preuve (jours)</translation>
    </message>
    <message>
        <source>Never longer than the hits they belong to.</source>
        <translation>Jamais plus longtemps que les signalements auxquels elles se rattachent.</translation>
    </message>
    <message>
        <source>Keep audit rows (days)</source>
        <translation>Conserver le journal d’audit (jours)</translation>
    </message>
    <message>
        <source>&amp;Save settings</source>
        <translation>&amp;Enregistrer les paramètres</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>&amp;Rétablir</translation>
    </message>
    <message>
        <source>stored; type a new one to replace it</source>
        <translation>enregistré ; saisissez-en un nouveau pour le remplacer</translation>
    </message>
    <message>
        <source>none stored; paste the token HQ issued</source>
        <translation>aucun enregistré ; collez le jeton délivré par le QG</translation>
    </message>
    <message>
        <source>Enter a number from 0 to 1.</source>
        <translation>Saisissez un nombre de 0 à 1.</translation>
    </message>
    <message>
        <source>Measuring against the lists in force…</source>
        <translation>Mesure sur les listes en vigueur…</translation>
    </message>
    <message>
        <source>No list is installed: nothing to measure the threshold against.</source>
        <translation>Aucune liste n’est installée : rien sur quoi mesurer le seuil.</translation>
    </message>
    <message>
        <source>At {threshold}, {rate} of {count} sample travellers on no list would be a name hit against the lists in force.</source>
        <translation>À {threshold}, {rate} des {count} voyageurs témoins inscrits sur aucune liste donneraient un signalement sur le nom avec les listes en vigueur.</translation>
    </message>
    <message>
        <source>Enter a rate between 0 and 1, e.g. 0.0001.</source>
        <translation>Saisissez un taux entre 0 et 1, par ex. 0.0001.</translation>
    </message>
    <message>
        <source>set by the target</source>
        <translation>fixé par l’objectif</translation>
    </message>
    <message>
        <source>held at the 1:1 threshold</source>
        <translation>maintenu au seuil 1:1</translation>
    </message>
    <message>
        <source>held at the floor: the target cannot be met</source>
        <translation>maintenu au plancher : l’objectif ne peut pas être atteint</translation>
    </message>
    <message>
        <source>With {gallery} face templates in force: 1:N threshold {threshold} ({limit}), expected false alerts {fpir} of travellers, listed people missed {fnir}.</source>
        <translation>Avec {gallery} gabarits de visage en vigueur : seuil 1:N {threshold} ({limit}), fausses alertes attendues {fpir} des voyageurs, personnes inscrites manquées {fnir}.</translation>
    </message>
    <message>
        <source>Opening {source}…</source>
        <translation>Ouverture de {source}…</translation>
    </message>
    <message>
        <source>{source} opened but gave no frame: check it is connected.</source>
        <translation>{source} s’est ouverte sans fournir d’image : vérifiez qu’elle est branchée.</translation>
    </message>
    <message>
        <source>{source}: a {width}×{height} frame</source>
        <translation>{source} : une image de {width}×{height}</translation>
    </message>
    <message>
        <source>The address must begin with https:// (or http:// on a LAN).</source>
        <translation>L’adresse doit commencer par https:// (ou http:// sur un réseau local).</translation>
    </message>
    <message>
        <source>Evidence cannot be kept longer than the hits it belongs to.</source>
        <translation>Les preuves ne peuvent pas être conservées plus longtemps que les signalements auxquels elles se rattachent.</translation>
    </message>
    <message>
        <source>A token is one line without spaces.</source>
        <translation>Un jeton tient sur une ligne sans espaces.</translation>
    </message>
    <message>
        <source>Nothing was saved: correct the {count} field(s) marked.</source>
        <translation>Rien n’a été enregistré : corrigez les champs signalés ({count}).</translation>
    </message>
    <message>
        <source>Saved {count} change(s): {names}.</source>
        <translation>{count} modification(s) enregistrée(s) : {names}.</translation>
    </message>
    <message>
        <source>Nothing changed: nothing to save.</source>
        <translation>Aucune modification : rien à enregistrer.</translation>
    </message>
</context>
<context>
    <name>SetupPage</name>
    <message>
        <source>Set up the station</source>
        <translation>Configurer le poste</translation>
    </message>
    <message>
        <source>Everything is checked before anything is written: if an answer is refused, go back, change it and try again.</source>
        <translation>Tout est vérifié avant la moindre écriture : si une réponse est refusée, revenez en arrière, modifiez-la et réessayez.</translation>
    </message>
    <message>
        <source>Set &amp;up</source>
        <translation>&amp;Configurer</translation>
    </message>
    <message>
        <source>fetched from HQ</source>
        <translation>récupérée auprès du QG</translation>
    </message>
    <message>
        <source>Station {station}, administrator {user}, signing key {key}, first list {lists}, HQ {hq}, camera {camera}.</source>
        <translation>Poste {station}, administrateur {user}, clé de signature {key}, première liste {lists}, QG {hq}, caméra {camera}.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <source>{step}…</source>
        <translation>{step}…</translation>
    </message>
    <message>
        <source>The station is set up.</source>
        <translation>Le poste est configuré.</translation>
    </message>
</context>
<context>
    <name>StationMenu</name>
    <message>
        <source>&amp;Station</source>
        <translation>&amp;Poste</translation>
    </message>
    <message>
        <source>&amp;Hit log…</source>
        <translation>&amp;Registre des signalements…</translation>
    </message>
    <message>
        <source>&amp;Administration…</source>
        <translation>&amp;Administration…</translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation>&amp;Verrouiller</translation>
    </message>
    <message>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <source>Log &amp;out</source>
        <translation>Se &amp;déconnecter</translation>
    </message>
</context>
<context>
    <name>StationPage</name>
    <message>
        <source>Station and headquarters</source>
        <translation>Poste et quartier général</translation>
    </message>
    <message>
        <source>The station&apos;s identifier as HQ knows it, and HQ&apos;s address and this station&apos;s token if the station will talk to HQ (both can be set later).</source>
        <translation>L’identifiant du poste tel que le QG le connaît, ainsi que l’adresse du QG et le jeton de ce poste s’il doit communiquer avec le QG (les deux peuvent être définis plus tard).</translation>
    </message>
    <message>
        <source>e.g. BCP-NORTH-01</source>
        <translation>par ex. PPF-NORD-01</translation>
    </message>
    <message>
        <source>Station &amp;identifier:</source>
        <translation>&amp;Identifiant du poste :</translation>
    </message>
    <message>
        <source>&amp;HQ address:</source>
        <translation>Adresse du &amp;QG :</translation>
    </message>
    <message>
        <source>Station &amp;token from HQ:</source>
        <translation>&amp;Jeton du poste délivré par le QG :</translation>
    </message>
    <message>
        <source>That is not a station token: paste the single line HQ issued.</source>
        <translation>Ce n’est pas un jeton de poste : collez la ligne unique délivrée par le QG.</translation>
    </message>
</context>
<context>
    <name>TravellerPanel</name>
    <message>
        <source>Traveller</source>
        <translation>Voyageur</translation>
    </message>
    <message>
        <source>live face</source>
        <translation>visage en direct</translation>
    </message>
    <message>
        <source>document portrait</source>
        <translation>photo du document</translation>
    </message>
    <message>
        <source>No document read yet</source>
        <translation>Aucun document lu</translation>
    </message>
    <message>
        <source>No barcode seen</source>
        <translation>Aucun code-barres vu</translation>
    </message>
    <message>
        <source>1:1: waiting for the traveller&apos;s face and the portrait</source>
        <translation>1:1 : en attente du visage du voyageur et de la photo</translation>
    </message>
    <message>
        <source>No barcode seen on this document</source>
        <translation>Aucun code-barres vu sur ce document</translation>
    </message>
    <message>
        <source>1:1 and face search: under way…</source>
        <translation>1:1 et recherche du visage : en cours…</translation>
    </message>
    <message>
        <source>1:1 MATCH</source>
        <translation>1:1 CONCORDANT</translation>
    </message>
    <message>
        <source>1:1 NO MATCH</source>
        <translation>1:1 NON CONCORDANT</translation>
    </message>
    <message>
        <source>1:1: the document&apos;s portrait was not found in this frame</source>
        <translation>1:1 : la photo du document n’est pas dans cette image</translation>
    </message>
    <message>
        <source>1:1: no live face of the traveller in this frame</source>
        <translation>1:1 : pas de visage du voyageur dans cette image</translation>
    </message>
</context>
<context>
    <name>UsersModel</name>
    <message>
        <source>Officer</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Superviseur</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Administrateur</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Password changed</source>
        <translation>Mot de passe changé</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <source>Locked until {time}</source>
        <translation>Bloqué jusqu’à {time}</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Actif</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <source>&amp;New user…</source>
        <translation>&amp;Nouvel utilisateur…</translation>
    </message>
    <message>
        <source>&amp;Disable</source>
        <translation>&amp;Désactiver</translation>
    </message>
    <message>
        <source>&amp;Reset password…</source>
        <translation>&amp;Réinitialiser le mot de passe…</translation>
    </message>
    <message>
        <source>Change r&amp;ole…</source>
        <translation>&amp;Modifier le rôle…</translation>
    </message>
    <message>
        <source>&amp;Enable</source>
        <translation>&amp;Activer</translation>
    </message>
    <message>
        <source>{user} created.</source>
        <translation>{user} créé.</translation>
    </message>
    <message>
        <source>{user} disabled.</source>
        <translation>{user} désactivé.</translation>
    </message>
    <message>
        <source>{user} enabled.</source>
        <translation>{user} activé.</translation>
    </message>
    <message>
        <source>Password of {user} reset.</source>
        <translation>Mot de passe de {user} réinitialisé.</translation>
    </message>
    <message>
        <source>{user} is now {role}.</source>
        <translation>{user} est désormais {role}.</translation>
    </message>
</context>
<context>
    <name>WatchlistsPage</name>
    <message>
        <source>&amp;Import bundle…</source>
        <translation>&amp;Importer un paquet…</translation>
    </message>
    <message>
        <source>&amp;Fetch from HQ</source>
        <translation>Récupérer auprès du &amp;QG</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>Ac&amp;tualiser</translation>
    </message>
    <message>
        <source>Import from &amp;USB</source>
        <translation>Importer depuis la clé US&amp;B</translation>
    </message>
    <message>
        <source>On removable media:</source>
        <translation>Sur support amovible :</translation>
    </message>
    <message>
        <source>Import a bundle to see its verification here.</source>
        <translation>Importez un paquet pour voir sa vérification ici.</translation>
    </message>
    <message>
        <source>Watchlists in force</source>
        <translation>Listes de surveillance en vigueur</translation>
    </message>
    <message>
        <source>&amp;Add key from file…</source>
        <translation>&amp;Ajouter une clé depuis un fichier…</translation>
    </message>
    <message>
        <source>Re&amp;voke key…</source>
        <translation>Ré&amp;voquer la clé…</translation>
    </message>
    <message>
        <source>Trusted signing keys</source>
        <translation>Clés de signature de confiance</translation>
    </message>
    <message>
        <source>Import a watchlist bundle</source>
        <translation>Importer un paquet de liste de surveillance</translation>
    </message>
    <message>
        <source>Bundles (*.zip)</source>
        <translation>Paquets (*.zip)</translation>
    </message>
    <message>
        <source>Checking {name}…</source>
        <translation>Vérification de {name}…</translation>
    </message>
    <message>
        <source>Asking HQ…</source>
        <translation>Interrogation du QG…</translation>
    </message>
    <message>
        <source>verifying</source>
        <translation>vérification</translation>
    </message>
    <message>
        <source>writing the list</source>
        <translation>écriture de la liste</translation>
    </message>
    <message>
        <source>downloading</source>
        <translation>téléchargement</translation>
    </message>
    <message>
        <source>asking HQ</source>
        <translation>interrogation du QG</translation>
    </message>
    <message>
        <source>done</source>
        <translation>terminé</translation>
    </message>
    <message>
        <source>HQ at {url} offers {count} bundle(s).</source>
        <translation>Le QG à l’adresse {url} propose {count} paquet(s).</translation>
    </message>
    <message>
        <source>Every list is up to date: nothing was imported.</source>
        <translation>Toutes les listes sont à jour : rien n’a été importé.</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>refusé</translation>
    </message>
    <message>
        <source>Refused: {reason}</source>
        <translation>Refusé : {reason}</translation>
    </message>
    <message>
        <source>Nothing was changed: the lists in force are the ones before.</source>
        <translation>Rien n’a été modifié : les listes en vigueur restent les mêmes.</translation>
    </message>
    <message>
        <source>Version {version} is new: {list} was not installed before.</source>
        <translation>La version {version} est nouvelle : {list} n’était pas installée.</translation>
    </message>
    <message>
        <source>Version {version} is newer than version {previous} installed.</source>
        <translation>La version {version} est plus récente que la version {previous} installée.</translation>
    </message>
    <message>
        <source>full</source>
        <translation>complet</translation>
    </message>
    <message>
        <source>delta</source>
        <translation>différentiel</translation>
    </message>
    <message>
        <source>Imported {name} ({list}) version {version}, a {kind} bundle.</source>
        <translation>{name} ({list}) version {version} importée (paquet {kind}).</translation>
    </message>
    <message>
        <source>Signature valid: signed by {signer} with key {key}, which this station trusts.</source>
        <translation>Signature valide : signée par {signer} avec la clé {key}, à laquelle ce poste fait confiance.</translation>
    </message>
    <message>
        <source>Every file matches its hash; made {created} UTC, valid until {expires} UTC.</source>
        <translation>Chaque fichier correspond à son empreinte ; établi le {created} UTC, valable jusqu’au {expires} UTC.</translation>
    </message>
    <message>
        <source>It holds {persons} persons, {names} names, {documents} documents, {alerts} document alerts, {templates} face templates and {deletions} deletions.</source>
        <translation>Il contient {persons} personnes, {names} noms, {documents} documents, {alerts} alertes documentaires, {templates} gabarits de visage et {deletions} suppressions.</translation>
    </message>
    <message>
        <source>Trust a signing key</source>
        <translation>Faire confiance à une clé de signature</translation>
    </message>
    <message>
        <source>Public keys (*.pub *.pem)</source>
        <translation>Clés publiques (*.pub *.pem)</translation>
    </message>
    <message>
        <source>Key {key} ({name}) is now trusted for bundle signatures.</source>
        <translation>La clé {key} ({name}) est désormais de confiance pour la signature des paquets.</translation>
    </message>
    <message>
        <source>Revoke key {key} ({name})? Bundles signed with it will be refused from now on; the lists already installed stay in force.</source>
        <translation>Révoquer la clé {key} ({name}) ? Les paquets signés avec elle seront désormais refusés ; les listes déjà installées restent en vigueur.</translation>
    </message>
    <message>
        <source>It signed {lists}: their next versions must come signed with another trusted key.</source>
        <translation>Elle a signé {lists} : leurs prochaines versions devront être signées par une autre clé de confiance.</translation>
    </message>
    <message>
        <source>Revoke key</source>
        <translation>Révoquer la clé</translation>
    </message>
    <message>
        <source>Key {key} ({name}) is revoked: bundles it signs are refused.</source>
        <translation>La clé {key} ({name}) est révoquée : les paquets qu’elle signe sont refusés.</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Welcome to Checkpoint</source>
        <translation>Bienvenue dans Checkpoint</translation>
    </message>
    <message>
        <source>This station is not set up yet. Try the demo to see the desk with specimen documents and a demo list, or set the station up for real work.</source>
        <translation>Ce poste n’est pas encore configuré. Essayez la démonstration pour voir le guichet avec des documents spécimens et une liste de démonstration, ou configurez le poste pour un usage réel.</translation>
    </message>
    <message>
        <source>&amp;Try the demo</source>
        <translation>&amp;Essayer la démonstration</translation>
    </message>
    <message>
        <source>&amp;Set up this station</source>
        <translation>&amp;Configurer ce poste</translation>
    </message>
    <message>
        <source>Setting up asks for the station&apos;s name, the first administrator, the key HQ signs its watchlists with, the first watchlist, HQ&apos;s address and the camera.</source>
        <translation>La configuration demande le nom du poste, le premier administrateur, la clé avec laquelle le QG signe ses listes de surveillance, la première liste de surveillance, l’adresse du QG et la caméra.</translation>
    </message>
</context>
<context>
    <name>present</name>
    <message>
        <source>Surname</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Given names</source>
        <translation>Prénoms</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Document</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Numéro</translation>
    </message>
    <message>
        <source>Issuer</source>
        <translation>Émetteur</translation>
    </message>
    <message>
        <source>Nationality</source>
        <translation>Nationalité</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>Date de naissance</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Sexe</translation>
    </message>
    <message>
        <source>Expiry</source>
        <translation>Expiration</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>Facultatif</translation>
    </message>
    <message>
        <source>All checks</source>
        <translation>Tous les contrôles</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>valides</translation>
    </message>
    <message>
        <source>FAILED</source>
        <translation>ÉCHEC</translation>
    </message>
    <message>
        <source>to decide</source>
        <translation>à décider</translation>
    </message>
    <message>
        <source>referred to second line</source>
        <translation>renvoyé en seconde ligne</translation>
    </message>
    <message>
        <source>dismissed: {reason}</source>
        <translation>écarté : {reason}</translation>
    </message>
</context>
</TS>
