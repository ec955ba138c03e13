<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
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
        <translation>&amp;Orienter en seconde ligne (F8)</translation>
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
        <source>Waiting for a document</source>
        <translation>En attente d’un document</translation>
    </message>
    <message>
        <source>The desk cannot screen: {message}</source>
        <translation>Le guichet ne peut pas cribler : {message}</translation>
    </message>
    <message>
        <source>HIT — {count} to decide: F8 refer to second line, F9 dismiss with a reason</source>
        <translation>CONCORDANCE — {count} à décider : F8 seconde ligne, F9 écarter avec un motif</translation>
    </message>
    <message>
        <source>Hit decided — F12 for the next traveller</source>
        <translation>Concordance décidée — F12 pour le voyageur suivant</translation>
    </message>
    <message>
        <source>NO HIT — {count} alert(s) to check</source>
        <translation>AUCUNE CONCORDANCE — {count} alerte(s) à vérifier</translation>
    </message>
    <message>
        <source>CLEAR — no hits</source>
        <translation>RAS — aucune concordance</translation>
    </message>
    <message>
        <source>Choose why the hit is dismissed (arrow keys), then press F9 again.</source>
        <translation>Choisissez pourquoi la concordance est écartée (flèches), puis appuyez à nouveau sur F9.</translation>
    </message>
    <message>
        <source>Referred to second line.</source>
        <translation>Orienté en seconde ligne.</translation>
    </message>
    <message>
        <source>Hit dismissed.</source>
        <translation>Concordance écartée.</translation>
    </message>
    <message>
        <source>Decide the hit first: F8 refers to second line, F9 dismisses with a reason.</source>
        <translation>Décidez d’abord la concordance : F8 oriente en seconde ligne, F9 l’écarte avec un motif.</translation>
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
        <translation>Inscrit</translation>
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
        <translation>orienté en seconde ligne</translation>
    </message>
    <message>
        <source>dismissed: {reason}</source>
        <translation>écartée : {reason}</translation>
    </message>
</context>
</TS>
