<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru">
    <context>
        <name>AddLinkDialog</name>
        <message>
            <source>Link documents</source>
            <translation>Связать документы</translation>
        </message>
        <message>
            <source>Search by number, name or date</source>
            <translation>Поиск по номеру, названию или дате</translation>
        </message>
        <message>
            <source>optional: why they are linked</source>
            <translation>необязательно: почему они связаны</translation>
        </message>
        <message>
            <source>Link</source>
            <translation>Связать</translation>
        </message>
        <message>
            <source>This document</source>
            <translation>Этот документ</translation>
        </message>
        <message>
            <source>Relation</source>
            <translation>Связь</translation>
        </message>
        <message>
            <source>Other document</source>
            <translation>Другой документ</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>Заметка</translation>
        </message>
        <message>
            <source>Choose the other document from the list.</source>
            <translation>Выберите другой документ в списке.</translation>
        </message>
        <message>
            <source>this document ({id})</source>
            <translation>этот документ ({id})</translation>
        </message>
        <message>
            <source>Records that {source} {relation} {target}.</source>
            <translation>Записывает: {source} — {relation} — {target}.</translation>
        </message>
    </context>
    <context>
        <name>AnnotationListModel</name>
        <message>
            <source>Redaction</source>
            <translation>Скрытие</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>Заметка</translation>
        </message>
        <message>
            <source>(no text yet)</source>
            <translation>(текста пока нет)</translation>
        </message>
        <message>
            <source>p. {page}</source>
            <translation>с. {page}</translation>
        </message>
    </context>
    <context>
        <name>AnnotationsPane</name>
        <message>
            <source>Drag a rectangle on the page to mark a stamp, a signature or a reference number; Shift+drag (or the Select text tool, S) selects words, A annotates them.</source>
            <translation>Обведите прямоугольник на странице, чтобы отметить печать, подпись или исходящий номер; Shift+перетаскивание (или инструмент «Выделить текст», S) выделяет слова, A аннотирует их.</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>Заметка</translation>
        </message>
        <message>
            <source>Redaction (withheld from publication)</source>
            <translation>Скрытие (не публикуется)</translation>
        </message>
        <message>
            <source>stamp, signature, …</source>
            <translation>печать, подпись, …</translation>
        </message>
        <message>
            <source>Delete annotation</source>
            <translation>Удалить аннотацию</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>Вид</translation>
        </message>
        <message>
            <source>Words</source>
            <translation>Слова</translation>
        </message>
        <message>
            <source>Transcription</source>
            <translation>Расшифровка</translation>
        </message>
        <message>
            <source>Translation</source>
            <translation>Перевод</translation>
        </message>
        <message>
            <source>Tags</source>
            <translation>Метки</translation>
        </message>
        <message>
            <source>(a region, not words)</source>
            <translation>(область, а не слова)</translation>
        </message>
    </context>
    <context>
        <name>CompareDialog</name>
        <message>
            <source>Side by side</source>
            <translation>Рядом</translation>
        </message>
        <message>
            <source>Overlay</source>
            <translation>Наложение</translation>
        </message>
        <message>
            <source>Difference</source>
            <translation>Разница</translation>
        </message>
        <message>
            <source>Compare regions</source>
            <translation>Сравнение областей</translation>
        </message>
        <message>
            <source>How much of the right region shows over the left one</source>
            <translation>Насколько правая область видна поверх левой</translation>
        </message>
        <message>
            <source>Undo the size ({scale}×), turn ({angle}°) and slant found</source>
            <translation>Убрать найденные масштаб ({scale}×), поворот ({angle}°) и наклон</translation>
        </message>
        <message>
            <source>Bring the right region back onto the left one (size, turn and slant) before laying it over</source>
            <translation>Привести правую область к левой (масштаб, поворот и наклон) перед наложением</translation>
        </message>
        <message>
            <source>Drawing both regions…</source>
            <translation>Отрисовка обеих областей…</translation>
        </message>
        <message>
            <source>Open left page</source>
            <translation>Открыть левую страницу</translation>
        </message>
        <message>
            <source>Open right page</source>
            <translation>Открыть правую страницу</translation>
        </message>
        <message>
            <source>View:</source>
            <translation>Вид:</translation>
        </message>
        <message>
            <source>Opacity:</source>
            <translation>Прозрачность:</translation>
        </message>
        <message>
            <source>&lt;b&gt;Left&lt;/b&gt;: {left} &amp;nbsp; &lt;b&gt;Right&lt;/b&gt;: {right}</source>
            <translation>&lt;b&gt;Слева&lt;/b&gt;: {left} &amp;nbsp; &lt;b&gt;Справа&lt;/b&gt;: {right}</translation>
        </message>
        <message>
            <source>Both drawn at {dpi} dpi: the same scale. Difference is white where the two agree.</source>
            <translation>Обе отрисованы при {dpi} dpi, в одном масштабе. В режиме «Разница» совпадающее белое.</translation>
        </message>
    </context>
    <context>
        <name>ConflictBox</name>
        <message>
            <source>Someone else changed this while you were editing it.</source>
            <translation>Кто-то другой изменил это, пока вы редактировали.</translation>
        </message>
        <message>
            <source>Apply mine anyway</source>
            <translation>Всё равно применить моё</translation>
        </message>
        <message>
            <source>Take theirs</source>
            <translation>Принять их вариант</translation>
        </message>
        <message>
            <source>%1 changed it at %2 to: %3</source>
            <translation>%1 изменил(а) это в %2 на: %3</translation>
        </message>
        <message>
            <source>%1 changed it to: %3</source>
            <translation>%1 изменил(а) это на: %3</translation>
        </message>
        <message>
            <source>It was changed at %2 to: %3</source>
            <translation>Это было изменено в %2 на: %3</translation>
        </message>
        <message>
            <source>It was changed to: %3</source>
            <translation>Это было изменено на: %3</translation>
        </message>
        <message>
            <source>Your edit was not saved.</source>
            <translation>Ваша правка не сохранена.</translation>
        </message>
    </context>
    <context>
        <name>DocumentActions</name>
        <message numerus="yes">
            <source>%n documents</source>
            <translation>
                <numerusform>%n документ</numerusform>
                <numerusform>%n документа</numerusform>
                <numerusform>%n документов</numerusform>
            </translation>
        </message>
        <message>
            <source>document {id}</source>
            <translation>документ {id}</translation>
        </message>
        <message>
            <source>Status of {documents}: {status}</source>
            <translation>Статус ({documents}): {status}</translation>
        </message>
        <message>
            <source>Untag {tags}</source>
            <translation>Снять метки: {tags}</translation>
        </message>
        <message>
            <source>Tag {tags}</source>
            <translation>Пометить: {tags}</translation>
        </message>
        <message>
            <source>Set {field}</source>
            <translation>Поле «{field}»</translation>
        </message>
        <message>
            <source>Checklist: {item}</source>
            <translation>Контрольный список: {item}</translation>
        </message>
        <message>
            <source>Add {kind} on page {page}</source>
            <translation>Добавить: {kind}, стр. {page}</translation>
        </message>
        <message numerus="yes">
            <source>Add {kind} on %n word(s) of page {page}</source>
            <translation>
                <numerusform>Добавить: {kind}, %n слово на стр. {page}</numerusform>
                <numerusform>Добавить: {kind}, %n слова на стр. {page}</numerusform>
                <numerusform>Добавить: {kind}, %n слов на стр. {page}</numerusform>
            </translation>
        </message>
        <message>
            <source>Move annotation</source>
            <translation>Переместить аннотацию</translation>
        </message>
        <message>
            <source>Edit annotation</source>
            <translation>Изменить аннотацию</translation>
        </message>
        <message>
            <source>Delete annotation</source>
            <translation>Удалить аннотацию</translation>
        </message>
        <message>
            <source>Provenance of sighting {sighting}</source>
            <translation>Происхождение: запись {sighting}</translation>
        </message>
        <message>
            <source>Link {source} {relation} {target}</source>
            <translation>Связь: {source} {relation} {target}</translation>
        </message>
        <message>
            <source>Remove link {source} {relation} {target}</source>
            <translation>Удалить связь: {source} {relation} {target}</translation>
        </message>
        <message>
            <source>Watch {term}</source>
            <translation>Отслеживать «{term}»</translation>
        </message>
        <message>
            <source>Stop watching {term}</source>
            <translation>Не отслеживать «{term}»</translation>
        </message>
        <message>
            <source>OCR languages of document {id}</source>
            <translation>Языки OCR документа {id}</translation>
        </message>
        <message>
            <source>Read document {id} again with OCR</source>
            <translation>Распознать документ {id} заново (OCR)</translation>
        </message>
        <message>
            <source>Add signal {code} to the rationale</source>
            <translation>Признак {code} в обоснование</translation>
        </message>
        <message>
            <source>Annotate the match on page {page}</source>
            <translation>Отметить совпадение на стр. {page}</translation>
        </message>
    </context>
    <context>
        <name>DocumentListModel</name>
        <message>
            <source>undated</source>
            <extracomment>the second line of a row, under the title: date, type and tags, told apart without a tooltip the reference number a row shows beside its title (None when none is recorded) the mark before the title of a document whose file arrived damaged (its tooltip says how)</extracomment>
            <translation>без даты</translation>
        </message>
        <message>
            <source>Title</source>
            <translation>Название</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Тип</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>Дата</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Статус</translation>
        </message>
        <message>
            <source>Tags</source>
            <translation>Метки</translation>
        </message>
        <message numerus="yes">
            <source>%n page(s), {media_type}</source>
            <translation>
                <numerusform>%n страница, {media_type}</numerusform>
                <numerusform>%n страницы, {media_type}</numerusform>
                <numerusform>%n страниц, {media_type}</numerusform>
            </translation>
        </message>
        <message>
            <source>locked: encrypted, password not known (Unlock… in the page area)</source>
            <translation>заблокирован: зашифрован, пароль неизвестен («Разблокировать…» над страницей)</translation>
        </message>
    </context>
    <context>
        <name>EntitiesPane</name>
        <message>
            <source>Whole case</source>
            <translation>Всё дело</translation>
        </message>
        <message>
            <source>Every entity of the case, those in most documents first</source>
            <translation>Все сущности дела, сначала встречающиеся в большем числе документов</translation>
        </message>
        <message>
            <source>Choose an entity to see every document that mentions it.</source>
            <translation>Выберите сущность, чтобы увидеть все документы, где она упоминается.</translation>
        </message>
        <message>
            <source>Double-click or press Enter to open a document</source>
            <translation>Двойной щелчок или Enter открывает документ</translation>
        </message>
        <message>
            <source>Add…</source>
            <translation>Добавить…</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Удалить</translation>
        </message>
        <message>
            <source>&lt;b&gt;Watch-list&lt;/b&gt;: organisations, people, equipment to find</source>
            <translation>&lt;b&gt;Список наблюдения&lt;/b&gt;: организации, люди, техника, которые нужно найти</translation>
        </message>
        <message numerus="yes">
            <source>%n entities in the case</source>
            <translation>
                <numerusform>%n сущность в деле</numerusform>
                <numerusform>%n сущности в деле</numerusform>
                <numerusform>%n сущностей в деле</numerusform>
            </translation>
        </message>
        <message>
            <source>No entities in the case yet</source>
            <translation>В деле пока нет сущностей</translation>
        </message>
        <message>
            <source>No document</source>
            <translation>Нет документа</translation>
        </message>
        <message>
            <source>{count} in this document</source>
            <translation>{count} в этом документе</translation>
        </message>
        <message>
            <source>None found in this document</source>
            <translation>В этом документе ничего не найдено</translation>
        </message>
        <message numerus="yes">
            <source>&lt;b&gt;%n document(s)&lt;/b&gt; mention {value} ({kind}):</source>
            <translation>
                <numerusform>&lt;b&gt;%n документ&lt;/b&gt; упоминает {value} ({kind}):</numerusform>
                <numerusform>&lt;b&gt;%n документа&lt;/b&gt; упоминают {value} ({kind}):</numerusform>
                <numerusform>&lt;b&gt;%n документов&lt;/b&gt; упоминают {value} ({kind}):</numerusform>
            </translation>
        </message>
        <message>
            <source>Taking “{term}” off every page…</source>
            <translation>Снимаем «{term}» со всех страниц…</translation>
        </message>
        <message>
            <source>Looking for “{term}” in every page of the case…</source>
            <translation>Ищем «{term}» на всех страницах дела…</translation>
        </message>
        <message numerus="yes">
            <source>found in %n document(s)</source>
            <translation>
                <numerusform>найдено в %n документе</numerusform>
                <numerusform>найдено в %n документах</numerusform>
                <numerusform>найдено в %n документах</numerusform>
            </translation>
        </message>
        <message>
            <source>not found in any document yet</source>
            <translation>пока не найдено ни в одном документе</translation>
        </message>
        <message>
            <source>“{term}” is on the watch-list: {where}.</source>
            <translation>«{term}» в списке наблюдения: {where}.</translation>
        </message>
        <message>
            <source>“{term}” is off the watch-list.</source>
            <translation>«{term}» снят со списка наблюдения.</translation>
        </message>
    </context>
    <context>
        <name>EntityTreeModel</name>
        <message>
            <source>Dates</source>
            <extracomment>entity kinds in the order the pane shows them, with their headings</extracomment>
            <translation>Даты</translation>
        </message>
        <message>
            <source>Reference numbers</source>
            <translation>Исходящие номера</translation>
        </message>
        <message>
            <source>Amounts</source>
            <translation>Суммы</translation>
        </message>
        <message>
            <source>Watched terms</source>
            <translation>Наблюдаемые термины</translation>
        </message>
        <message>
            <source>date</source>
            <extracomment>one entity of a kind, as a sentence names it</extracomment>
            <translation>дата</translation>
        </message>
        <message>
            <source>reference number</source>
            <translation>исходящий номер</translation>
        </message>
        <message>
            <source>amount</source>
            <translation>сумма</translation>
        </message>
        <message>
            <source>watched term</source>
            <translation>наблюдаемый термин</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>Значение</translation>
        </message>
        <message>
            <source>As written</source>
            <translation>Как написано</translation>
        </message>
        <message>
            <source>Pages</source>
            <translation>Страницы</translation>
        </message>
        <message>
            <source>Documents</source>
            <translation>Документы</translation>
        </message>
        <message numerus="yes">
            <source>{value}: in %n document(s) of the case</source>
            <translation>
                <numerusform>{value}: в %n документе дела</numerusform>
                <numerusform>{value}: в %n документах дела</numerusform>
                <numerusform>{value}: в %n документах дела</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>{value}, written “{text}”, %n time(s) on page(s) {pages}</source>
            <translation>
                <numerusform>{value}, написано «{text}», %n раз, страницы {pages}</numerusform>
                <numerusform>{value}, написано «{text}», %n раза, страницы {pages}</numerusform>
                <numerusform>{value}, написано «{text}», %n раз, страницы {pages}</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ExportDialog</name>
        <message>
            <source>Export an evidence bundle</source>
            <translation>Экспорт пакета доказательств</translation>
        </message>
        <message>
            <source>Choose…</source>
            <translation>Выбрать…</translation>
        </message>
        <message numerus="yes">
            <source>Only the %n selected document(s)</source>
            <translation>
                <numerusform>Только %n выбранный документ</numerusform>
                <numerusform>Только %n выбранных документа</numerusform>
                <numerusform>Только %n выбранных документов</numerusform>
            </translation>
        </message>
        <message>
            <source>Redact for publication (remove what redactions cover; withhold sources)</source>
            <translation>Подготовить к публикации (удалить скрытое, не раскрывать источники)</translation>
        </message>
        <message>
            <source>Remove printer tracking dots (page images are re-encoded)</source>
            <translation>Удалить следящие точки принтера (изображения страниц перекодируются)</translation>
        </message>
        <message>
            <source>One zip file</source>
            <translation>Один zip-файл</translation>
        </message>
        <message>
            <source>Bundle</source>
            <translation>Пакет</translation>
        </message>
        <message>
            <source>Export</source>
            <translation>Экспортировать</translation>
        </message>
        <message>
            <source>Keep the bundle</source>
            <translation>Оставить пакет</translation>
        </message>
        <message>
            <source>Remove it</source>
            <translation>Удалить его</translation>
        </message>
        <message>
            <source>Export to</source>
            <translation>Экспорт в</translation>
        </message>
        <message>
            <source>Zip (*.zip)</source>
            <translation>Zip (*.zip)</translation>
        </message>
        <message>
            <source>Export into a new folder inside</source>
            <translation>Экспорт в новую папку внутри</translation>
        </message>
        <message>
            <source>, {count} redacted</source>
            <translation>, со скрытием: {count}</translation>
        </message>
        <message numerus="yes">
            <source>Exported %n document(s){redacted} to {path}.</source>
            <translation>
                <numerusform>Экспортирован %n документ{redacted} в {path}.</numerusform>
                <numerusform>Экспортировано %n документа{redacted} в {path}.</numerusform>
                <numerusform>Экспортировано %n документов{redacted} в {path}.</numerusform>
            </translation>
        </message>
        <message>
            <source>Anyone can check it with a BagIt validator, or: reviewer verify BUNDLE</source>
            <translation>Его может проверить кто угодно валидатором BagIt или командой: reviewer verify BUNDLE</translation>
        </message>
        <message>
            <source>checked: nothing found that could identify a source</source>
            <translation>проверено: ничего, что могло бы раскрыть источник, не найдено</translation>
        </message>
        <message numerus="yes">
            <source>checked: %n thing(s) found that could identify a source.</source>
            <translation>
                <numerusform>проверено: найден %n признак, который может раскрыть источник.</numerusform>
                <numerusform>проверено: найдено %n признака, которые могут раскрыть источник.</numerusform>
                <numerusform>проверено: найдено %n признаков, которые могут раскрыть источник.</numerusform>
            </translation>
        </message>
        <message>
            <source>Keep the bundle, or remove it?</source>
            <translation>Оставить пакет или удалить его?</translation>
        </message>
        <message>
            <source>The bundle was removed: {path}</source>
            <translation>Пакет удалён: {path}</translation>
        </message>
        <message>
            <source>Cancelling…</source>
            <translation>Отмена…</translation>
        </message>
    </context>
    <context>
        <name>FilterBar</name>
        <message>
            <source>Filter: title, reference, issuer, SHA-256…</source>
            <translation>Фильтр: название, номер, отправитель, SHA-256…</translation>
        </message>
        <message>
            <source>Only documents with this tag</source>
            <translation>Только документы с этой меткой</translation>
        </message>
        <message>
            <source>Only documents with this status</source>
            <translation>Только документы с этим статусом</translation>
        </message>
        <message>
            <source>Any status</source>
            <translation>Любой статус</translation>
        </message>
        <message>
            <source>Only documents of this type</source>
            <translation>Только документы этого типа</translation>
        </message>
        <message>
            <source>Any type</source>
            <translation>Любой тип</translation>
        </message>
        <message>
            <source>dated from YYYY[-MM[-DD]]</source>
            <translation>дата с ГГГГ[-ММ[-ДД]]</translation>
        </message>
        <message>
            <source>to YYYY[-MM[-DD]]</source>
            <translation>по ГГГГ[-ММ[-ДД]]</translation>
        </message>
        <message>
            <source>Documents whose date falls in this range (a year or a month counts as a range)</source>
            <translation>Документы, дата которых попадает в этот промежуток (год или месяц — тоже промежуток)</translation>
        </message>
        <message>
            <source>Any tag</source>
            <translation>Любая метка</translation>
        </message>
    </context>
    <context>
        <name>ForensicsPane</name>
        <message>
            <source>Warnings</source>
            <extracomment>the groups, warnings first</extracomment>
            <translation>Предупреждения</translation>
        </message>
        <message>
            <source>Notices</source>
            <translation>Замечания</translation>
        </message>
        <message>
            <source>Facts about the file</source>
            <translation>Сведения о файле</translation>
        </message>
        <message>
            <source>Contradictions or traces of editing that need an explanation</source>
            <translation>Противоречия или следы правки, требующие объяснения</translation>
        </message>
        <message>
            <source>Common in genuine files, but worth a look in context</source>
            <translation>Обычны для подлинных файлов, но стоит посмотреть в контексте</translation>
        </message>
        <message>
            <source>Facts about the file, not suspicious in themselves</source>
            <translation>Сведения о файле, сами по себе не подозрительные</translation>
        </message>
        <message>
            <source>{title} (page {page})</source>
            <extracomment>which level a row of the signal tree is the :class:`Severity` of a row's group or signal</extracomment>
            <translation>{title} (с. {page})</translation>
        </message>
        <message>
            <source>Raw value: {value}</source>
            <translation>Исходное значение: {value}</translation>
        </message>
        <message>
            <source>the file as it is now</source>
            <translation>файл в нынешнем виде</translation>
        </message>
        <message>
            <source>an earlier save</source>
            <translation>более раннее сохранение</translation>
        </message>
        <message>
            <source>Revision {number}: {what} ({size} bytes)</source>
            <translation>Редакция {number}: {what} ({size} байт)</translation>
        </message>
        <message>
            <source>Open it to see the document as that save left it (a copy outside the case)</source>
            <translation>Откройте, чтобы увидеть документ таким, каким его оставило это сохранение (копия вне дела)</translation>
        </message>
        <message>
            <source>p. {page} ≈ {id} · {name}, p. {other}</source>
            <translation>с. {page} ≈ {id} · {name}, с. {other}</translation>
        </message>
        <message>
            <source>({distance} of 64 bits differ)</source>
            <translation>(различаются {distance} из 64 бит)</translation>
        </message>
        <message>
            <source>Double-click to open that page</source>
            <translation>Двойной щелчок открывает эту страницу</translation>
        </message>
        <message>
            <source>strong match</source>
            <translation>сильное совпадение</translation>
        </message>
        <message>
            <source>good match</source>
            <translation>хорошее совпадение</translation>
        </message>
        <message>
            <source>weak match</source>
            <translation>слабое совпадение</translation>
        </message>
        <message>
            <source>turned {angle}°</source>
            <translation>поворот {angle}°</translation>
        </message>
        <message>
            <source>seen at an angle</source>
            <translation>снято под углом</translation>
        </message>
        <message>
            <source>Found on page {page} of {name}: score {score} (1 = identical pixels), {scale} times the size, turned {angle}°; {inliers} keypoints agree, slant {slant}</source>
            <translation>Найдено на странице {page} документа {name}: оценка {score} (1 — одинаковые пиксели), масштаб {scale}, поворот {angle}°; согласуются ключевых точек: {inliers}, наклон {slant}</translation>
        </message>
        <message>
            <source>An annotation already covers this place.</source>
            <translation>Это место уже отмечено аннотацией.</translation>
        </message>
        <message>
            <source>{id} · {name}, p. {page}</source>
            <translation>{id} · {name}, с. {page}</translation>
        </message>
        <message>
            <source>annotated</source>
            <translation>уже отмечено</translation>
        </message>
        <message>
            <source>Double-click to open the page</source>
            <translation>Двойной щелчок открывает страницу</translation>
        </message>
        <message>
            <source>Forensics</source>
            <extracomment>the copies found on each page of the document shown, outlined whenever that page is shown how an extracted revision is opened (tests replace it)</extracomment>
            <translation>Экспертиза</translation>
        </message>
        <message>
            <source>Click a signal to read why it matters and its raw value, and to add it to the rationale</source>
            <translation>Щёлкните признак, чтобы прочитать, чем он важен, его исходное значение и добавить его в обоснование</translation>
        </message>
        <message>
            <source>Select a revision and open it</source>
            <translation>Выберите редакцию и откройте её</translation>
        </message>
        <message>
            <source>Open revision…</source>
            <translation>Открыть редакцию…</translation>
        </message>
        <message>
            <source>Extract the revision to a file outside the case and open it</source>
            <translation>Извлечь редакцию в файл вне дела и открыть её</translation>
        </message>
        <message>
            <source>Show error levels over the page</source>
            <translation>Показать уровни ошибок поверх страницы</translation>
        </message>
        <message>
            <source>Lay over the page how much each part changes when saved once more as JPEG. A pasted or retouched region often stands out; edges and text do too. A hint for the eye, never proof.</source>
            <translation>Показывает поверх страницы, насколько меняется каждая её часть при повторном сохранении в JPEG. Вставленная или отретушированная область часто выделяется; края и текст тоже. Подсказка для глаза, но не доказательство.</translation>
        </message>
        <message>
            <source>Look for copies on this page</source>
            <translation>Искать копии на этой странице</translation>
        </message>
        <message>
            <source>Look for parts of this page that are copies of each other (a cloned stamp, signature or line), taking a few seconds. What is found joins the signals and is outlined on the page.</source>
            <translation>Искать на этой странице части, скопированные одна с другой (клонированную печать, подпись или строку); это займёт несколько секунд. Найденное появится среди признаков и будет обведено на странице.</translation>
        </message>
        <message>
            <source>Revisions</source>
            <translation>Редакции</translation>
        </message>
        <message>
            <source>Near-identical pages elsewhere</source>
            <translation>Почти одинаковые страницы в других документах</translation>
        </message>
        <message>
            <source>No document shown.</source>
            <translation>Документ не показан.</translation>
        </message>
        <message>
            <source>Computing this document's signals…</source>
            <translation>Вычисляем признаки этого документа…</translation>
        </message>
        <message numerus="yes">
            <source>%n warning(s)</source>
            <translation>
                <numerusform>%n предупреждение</numerusform>
                <numerusform>%n предупреждения</numerusform>
                <numerusform>%n предупреждений</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n notice(s)</source>
            <translation>
                <numerusform>%n замечание</numerusform>
                <numerusform>%n замечания</numerusform>
                <numerusform>%n замечаний</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n fact(s)</source>
            <translation>
                <numerusform>%n сведение</numerusform>
                <numerusform>%n сведения</numerusform>
                <numerusform>%n сведений</numerusform>
            </translation>
        </message>
        <message>
            <source>Signals inform; they never decide a verdict.</source>
            <translation>Признаки подсказывают, но не выносят вердикт.</translation>
        </message>
        <message>
            <source>Add to rationale</source>
            <translation>В обоснование</translation>
        </message>
        <message>
            <source>Add a line naming this signal to the document's rationale (its status stays)</source>
            <translation>Добавить в обоснование документа строку с этим признаком (статус не меняется)</translation>
        </message>
        <message>
            <source>Looking for copies on page {page}…</source>
            <translation>Поиск копий на странице {page}…</translation>
        </message>
        <message>
            <source>No copied regions on page {page}.</source>
            <translation>На странице {page} скопированных областей нет.</translation>
        </message>
        <message numerus="yes">
            <source>%n pair(s) of copied regions on page {page}: see the signals.</source>
            <translation>
                <numerusform>%n пара скопированных областей на странице {page}: см. признаки.</numerusform>
                <numerusform>%n пары скопированных областей на странице {page}: см. признаки.</numerusform>
                <numerusform>%n пар скопированных областей на странице {page}: см. признаки.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n other place(s)</source>
            <translation>
                <numerusform>%n другом месте</numerusform>
                <numerusform>%n других местах</numerusform>
                <numerusform>%n других местах</numerusform>
            </translation>
        </message>
        <message>
            <source>Not a PDF: no revisions.</source>
            <translation>Не PDF: редакций нет.</translation>
        </message>
        <message>
            <source>Saved once: no earlier revision in the file.</source>
            <translation>Сохранён один раз: более ранних редакций в файле нет.</translation>
        </message>
        <message>
            <source>Saved {count} times: each earlier revision is still in the file, exactly as it was.</source>
            <translation>Сохранений: {count}. Каждая более ранняя редакция осталась в файле в точности такой, какой была.</translation>
        </message>
        <message>
            <source>No page of another document looks the same.</source>
            <translation>Ни одна страница других документов не выглядит так же.</translation>
        </message>
    </context>
    <context>
        <name>ImportDialog</name>
        <message>
            <source>Importing</source>
            <translation>Импорт</translation>
        </message>
        <message>
            <source>Looking at the files…</source>
            <translation>Просматриваем файлы…</translation>
        </message>
        <message>
            <source>{done} of {total} files: {new} new, {duplicates} already in the case, {refused} refused</source>
            <translation>{done} из {total} файлов: новых {new}, уже в деле {duplicates}, отклонено {refused}</translation>
        </message>
        <message>
            <source>Import cancelled</source>
            <translation>Импорт отменён</translation>
        </message>
        <message>
            <source>Import finished</source>
            <translation>Импорт завершён</translation>
        </message>
        <message>
            <source>{verb}: {new} new, {duplicates} already in the case, {refused} refused.</source>
            <translation>{verb}: новых {new}, уже в деле {duplicates}, отклонено {refused}.</translation>
        </message>
        <message>
            <source>Cancelling…</source>
            <translation>Отмена…</translation>
        </message>
    </context>
    <context>
        <name>ImportOptionsDialog</name>
        <message>
            <source>Import into the case</source>
            <translation>Импорт в дело</translation>
        </message>
        <message>
            <source>who or where they came from: a person, a channel, a leak's name</source>
            <translation>от кого или откуда получены: человек, канал, название утечки</translation>
        </message>
        <message>
            <source>not known</source>
            <translation>неизвестно</translation>
        </message>
        <message>
            <source>The day the files were received is not known</source>
            <translation>День получения файлов неизвестен</translation>
        </message>
        <message>
            <source>for encrypted files: one password a line, each tried in turn</source>
            <translation>для зашифрованных файлов: по паролю в строке, пробуются по очереди</translation>
        </message>
        <message>
            <source>Languages…</source>
            <translation>Языки…</translation>
        </message>
        <message>
            <source>The languages Tesseract reads these documents in</source>
            <translation>Языки, на которых Tesseract читает эти документы</translation>
        </message>
        <message>
            <source>Import</source>
            <translation>Импорт</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>Источник</translation>
        </message>
        <message>
            <source>Received</source>
            <translation>Получено</translation>
        </message>
        <message>
            <source>Passwords</source>
            <translation>Пароли</translation>
        </message>
        <message>
            <source>The files are copied byte for byte and never changed. Source and date are kept with each file, and can be corrected later in the Sources pane.</source>
            <translation>Файлы копируются байт в байт и никогда не изменяются. Источник и дата сохраняются для каждого файла; их можно исправить позже на панели «Источники».</translation>
        </message>
        <message>
            <source>as the case ({languages})</source>
            <translation>как в деле ({languages})</translation>
        </message>
        <message>
            <source>OCR languages of these documents</source>
            <translation>Языки OCR для этих документов</translation>
        </message>
    </context>
    <context>
        <name>JobsIndicator</name>
        <message>
            <source>OCR</source>
            <translation>OCR</translation>
        </message>
        <message>
            <source>features</source>
            <translation>признаки областей</translation>
        </message>
        <message>
            <source>export</source>
            <translation>экспорт</translation>
        </message>
        <message numerus="yes">
            <source>%n worker(s)</source>
            <translation>
                <numerusform>%n обработчик</numerusform>
                <numerusform>%n обработчика</numerusform>
                <numerusform>%n обработчиков</numerusform>
            </translation>
        </message>
        <message>
            <source>{n} waiting</source>
            <translation>ждут: {n}</translation>
        </message>
        <message>
            <source>{n} running</source>
            <translation>в работе: {n}</translation>
        </message>
        <message>
            <source>{n} failed</source>
            <translation>не удались: {n}</translation>
        </message>
        <message>
            <source>Jobs of this shared case on its queue, done by 'reviewer worker' on any machine</source>
            <translation>Задания общего дела в его очереди; их выполняет «reviewer worker» на любой машине</translation>
        </message>
    </context>
    <context>
        <name>LanguagesDialog</name>
        <message>
            <source>Azerbaijani (Latin)</source>
            <translation>Азербайджанский (латиница)</translation>
        </message>
        <message>
            <source>Azerbaijani (Cyrillic)</source>
            <translation>Азербайджанский (кириллица)</translation>
        </message>
        <message>
            <source>Belarusian</source>
            <translation>Белорусский</translation>
        </message>
        <message>
            <source>German</source>
            <translation>Немецкий</translation>
        </message>
        <message>
            <source>English</source>
            <translation>Английский</translation>
        </message>
        <message>
            <source>French</source>
            <translation>Французский</translation>
        </message>
        <message>
            <source>Kazakh</source>
            <translation>Казахский</translation>
        </message>
        <message>
            <source>Russian</source>
            <translation>Русский</translation>
        </message>
        <message>
            <source>Turkish</source>
            <translation>Турецкий</translation>
        </message>
        <message>
            <source>Ukrainian</source>
            <translation>Украинский</translation>
        </message>
        <message>
            <source>OCR languages of this document</source>
            <translation>Языки OCR для этого документа</translation>
        </message>
        <message>
            <source>As the case ({languages})</source>
            <translation>Как в деле ({languages})</translation>
        </message>
        <message>
            <source>not installed: {command}</source>
            <translation>не установлен: {command}</translation>
        </message>
        <message>
            <source>Tesseract leans on the first language; each one more makes reading slower. Other languages come as packages, e.g. {command}</source>
            <translation>Tesseract опирается на первый язык; каждый следующий замедляет распознавание. Другие языки ставятся пакетами, например: {command}</translation>
        </message>
    </context>
    <context>
        <name>Launcher</name>
        <message>
            <source>Choose an empty folder for the new case</source>
            <translation>Выберите пустую папку для нового дела</translation>
        </message>
        <message>
            <source>New case</source>
            <translation>Новое дело</translation>
        </message>
        <message>
            <source>Title of the case:</source>
            <translation>Название дела:</translation>
        </message>
        <message>
            <source>Open a case folder</source>
            <translation>Открыть папку дела</translation>
        </message>
    </context>
    <context>
        <name>LinksPane</name>
        <message>
            <source>Linked by {who} on {day}</source>
            <translation>Связал(а) {who}, {day}</translation>
        </message>
        <message>
            <source>shares {numbers} with {document}</source>
            <translation>общие номера {numbers} с документом {document}</translation>
        </message>
        <message>
            <source>Double-click to open it; Link… to record how the two relate</source>
            <translation>Двойной щелчок открывает документ; «Связать…» записывает, как они связаны</translation>
        </message>
        <message>
            <source>Add link…</source>
            <translation>Добавить связь…</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Удалить</translation>
        </message>
        <message>
            <source>Links</source>
            <translation>Связи</translation>
        </message>
        <message>
            <source>Link…</source>
            <translation>Связать…</translation>
        </message>
        <message>
            <source>Link this document to the suggested one, as 'references'</source>
            <translation>Связать этот документ с предложенным как «ссылается на»</translation>
        </message>
        <message>
            <source>Double-click or press Enter to open the other document</source>
            <translation>Двойной щелчок или Enter открывает другой документ</translation>
        </message>
        <message>
            <source>&lt;b&gt;Suggested&lt;/b&gt;: documents sharing a reference number</source>
            <translation>&lt;b&gt;Предложения&lt;/b&gt;: документы с общим исходящим номером</translation>
        </message>
        <message>
            <source>&lt;b&gt;Suggested&lt;/b&gt;: none (no unlinked document shares a number)</source>
            <translation>&lt;b&gt;Предложения&lt;/b&gt;: нет (ни один несвязанный документ не имеет общего номера)</translation>
        </message>
    </context>
    <context>
        <name>LivePassword</name>
        <message>
            <source>The case database asks for your password:</source>
            <translation>База данных дела запрашивает ваш пароль:</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>Пароль</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Documents</source>
            <translation>Документы</translation>
        </message>
        <message>
            <source>Search</source>
            <translation>Поиск</translation>
        </message>
        <message>
            <source>Timeline</source>
            <translation>Хронология</translation>
        </message>
        <message numerus="yes">
            <source>%n document(s)</source>
            <translation>
                <numerusform>%n документ</numerusform>
                <numerusform>%n документа</numerusform>
                <numerusform>%n документов</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>OCR is off: Tesseract is not installed ({hint}). %n page(s) without text are searchable once it is; everything else works.</source>
            <translation>
                <numerusform>OCR выключено: Tesseract не установлен ({hint}). По %n странице без текста можно будет искать после его установки; всё остальное работает.</numerusform>
                <numerusform>OCR выключено: Tesseract не установлен ({hint}). По %n страницам без текста можно будет искать после его установки; всё остальное работает.</numerusform>
                <numerusform>OCR выключено: Tesseract не установлен ({hint}). По %n страницам без текста можно будет искать после его установки; всё остальное работает.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>OCR failed on %n page(s): {first}</source>
            <translation>
                <numerusform>OCR не удалось на %n странице: {first}</numerusform>
                <numerusform>OCR не удалось на %n страницах: {first}</numerusform>
                <numerusform>OCR не удалось на %n страницах: {first}</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n page(s) read, {ocr} by OCR</source>
            <translation>
                <numerusform>Прочитана %n страница, с OCR: {ocr}</numerusform>
                <numerusform>Прочитано %n страницы, с OCR: {ocr}</numerusform>
                <numerusform>Прочитано %n страниц, с OCR: {ocr}</numerusform>
            </translation>
        </message>
        <message>
            <source>Page {page} of {total}</source>
            <translation>Страница {page} из {total}</translation>
        </message>
        <message>
            <source>damaged</source>
            <translation>повреждена</translation>
        </message>
        <message>
            <source>Tag documents</source>
            <translation>Метки документов</translation>
        </message>
        <message numerus="yes">
            <source>Tags for %n document(s), comma-separated:</source>
            <translation>
                <numerusform>Метки для %n документа, через запятую:</numerusform>
                <numerusform>Метки для %n документов, через запятую:</numerusform>
                <numerusform>Метки для %n документов, через запятую:</numerusform>
            </translation>
        </message>
        <message>
            <source>Remove tag</source>
            <translation>Снять метку</translation>
        </message>
        <message>
            <source>Tag to remove:</source>
            <translation>Какую метку снять:</translation>
        </message>
        <message>
            <source>Import files into the case</source>
            <translation>Импорт файлов в дело</translation>
        </message>
        <message>
            <source>Import a folder into the case</source>
            <translation>Импорт папки в дело</translation>
        </message>
    </context>
    <context>
        <name>Menus</name>
        <message>
            <source>&amp;File</source>
            <translation>&amp;Файл</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>&amp;Правка</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;Вид</translation>
        </message>
        <message>
            <source>&amp;Go</source>
            <translation>П&amp;ереход</translation>
        </message>
        <message>
            <source>&amp;Status</source>
            <translation>&amp;Статус</translation>
        </message>
        <message>
            <source>&amp;Case</source>
            <translation>&amp;Дело</translation>
        </message>
        <message>
            <source>&amp;Undo</source>
            <translation>&amp;Отменить</translation>
        </message>
        <message>
            <source>&amp;Redo</source>
            <translation>&amp;Повторить</translation>
        </message>
        <message>
            <source>&amp;Tag selected documents…</source>
            <translation>&amp;Метки выбранных документов…</translation>
        </message>
        <message>
            <source>&amp;Remove a tag from selected documents…</source>
            <translation>&amp;Снять метку с выбранных документов…</translation>
        </message>
        <message>
            <source>&amp;Filter the list</source>
            <translation>&amp;Фильтр списка</translation>
        </message>
        <message>
            <source>&amp;Search the case…</source>
            <translation>&amp;Поиск по делу…</translation>
        </message>
        <message>
            <source>&amp;Timeline</source>
            <translation>&amp;Хронология</translation>
        </message>
        <message>
            <source>&amp;Read unread pages now</source>
            <translation>&amp;Прочитать непрочитанные страницы</translation>
        </message>
        <message>
            <source>&amp;OCR languages and mode…</source>
            <translation>&amp;Языки и режим OCR…</translation>
        </message>
        <message>
            <source>Check the &amp;store for unrecorded files…</source>
            <translation>Проверить &amp;хранилище на неучтённые файлы…</translation>
        </message>
        <message>
            <source>Fit &amp;page</source>
            <translation>&amp;Страница целиком</translation>
        </message>
        <message>
            <source>Fit &amp;width</source>
            <translation>По &amp;ширине</translation>
        </message>
        <message>
            <source>Zoom &amp;in</source>
            <translation>&amp;Крупнее</translation>
        </message>
        <message>
            <source>Zoom &amp;out</source>
            <translation>&amp;Мельче</translation>
        </message>
        <message>
            <source>&amp;Rotate view</source>
            <translation>&amp;Повернуть вид</translation>
        </message>
        <message>
            <source>Document &amp;list</source>
            <translation>&amp;Список документов</translation>
        </message>
        <message>
            <source>P&amp;anes</source>
            <translation>П&amp;анели</translation>
        </message>
        <message>
            <source>Rea&amp;ding mode: the page only</source>
            <translation>&amp;Режим чтения: только страница</translation>
        </message>
        <message>
            <source>Fit page</source>
            <translation>Целиком</translation>
        </message>
        <message>
            <source>Fit width</source>
            <translation>По ширине</translation>
        </message>
        <message>
            <source>Rotate</source>
            <translation>Повернуть</translation>
        </message>
        <message>
            <source>List</source>
            <translation>Список</translation>
        </message>
        <message>
            <source>Panes</source>
            <translation>Панели</translation>
        </message>
        <message>
            <source>Reading</source>
            <translation>Чтение</translation>
        </message>
        <message>
            <source>Select &amp;text on the page</source>
            <translation>Выделить &amp;текст на странице</translation>
        </message>
        <message>
            <source>Select text</source>
            <translation>Выделить текст</translation>
        </message>
        <message>
            <source>Select words on the page (S; or Shift+drag), then A to annotate them</source>
            <translation>Выделите слова на странице (S или Shift+перетаскивание), затем A — аннотировать</translation>
        </message>
        <message>
            <source>&amp;Annotate selected words</source>
            <translation>&amp;Аннотировать выделенные слова</translation>
        </message>
        <message>
            <source>Re&amp;dact selected words</source>
            <translation>&amp;Скрыть выделенные слова</translation>
        </message>
        <message>
            <source>&amp;Next page</source>
            <translation>&amp;Следующая страница</translation>
        </message>
        <message>
            <source>&amp;Previous page</source>
            <translation>&amp;Предыдущая страница</translation>
        </message>
        <message>
            <source>&amp;First page</source>
            <translation>П&amp;ервая страница</translation>
        </message>
        <message>
            <source>&amp;Last page</source>
            <translation>П&amp;оследняя страница</translation>
        </message>
        <message>
            <source>Next &amp;document</source>
            <translation>Следующий &amp;документ</translation>
        </message>
        <message>
            <source>Previous d&amp;ocument</source>
            <translation>Предыдущий до&amp;кумент</translation>
        </message>
        <message>
            <source>Mark as {status}…</source>
            <translation>Отметить: {status}…</translation>
        </message>
        <message>
            <source>Mark as {status}</source>
            <translation>Отметить: {status}</translation>
        </message>
        <message>
            <source>&amp;Language</source>
            <translation>&amp;Язык</translation>
        </message>
        <message>
            <source>The window will be in {language} from the next start.</source>
            <translation>Язык окна ({language}) применится при следующем запуске.</translation>
        </message>
        <message>
            <source>&amp;New case…</source>
            <translation>&amp;Новое дело…</translation>
        </message>
        <message>
            <source>&amp;Open case…</source>
            <translation>&amp;Открыть дело…</translation>
        </message>
        <message>
            <source>Open &amp;recent</source>
            <translation>&amp;Недавние</translation>
        </message>
        <message>
            <source>&amp;Close case</source>
            <translation>&amp;Закрыть дело</translation>
        </message>
        <message>
            <source>Import &amp;files…</source>
            <translation>Импорт &amp;файлов…</translation>
        </message>
        <message>
            <source>Import f&amp;older…</source>
            <translation>Импорт &amp;папки…</translation>
        </message>
        <message>
            <source>&amp;Export evidence bundle…</source>
            <translation>&amp;Экспорт пакета доказательств…</translation>
        </message>
        <message>
            <source>&amp;Merge a colleague's bundle…</source>
            <translation>&amp;Объединить с пакетом коллеги…</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>В&amp;ыход</translation>
        </message>
        <message>
            <source>open now</source>
            <translation>открыто сейчас</translation>
        </message>
        <message>
            <source>not found: moved, renamed or on a disk not mounted</source>
            <translation>не найдено: перемещено, переименовано или на неподключённом диске</translation>
        </message>
        <message>
            <source>No other case yet</source>
            <translation>Других дел пока нет</translation>
        </message>
    </context>
    <context>
        <name>MetadataPane</name>
        <message>
            <source>What the document calls itself</source>
            <translation>Как документ называет себя</translation>
        </message>
        <message>
            <source>YYYY-MM-DD, YYYY-MM or YYYY, as dated on the document</source>
            <translation>ГГГГ-ММ-ДД, ГГГГ-ММ или ГГГГ, как датирован документ</translation>
        </message>
        <message>
            <source>e.g. № 12-05/1174</source>
            <translation>например, № 12-05/1174</translation>
        </message>
        <message>
            <source>Who the document says issued it</source>
            <translation>Кто, по словам документа, его выдал</translation>
        </message>
        <message>
            <source>Who it is addressed to</source>
            <translation>Кому он адресован</translation>
        </message>
        <message>
            <source>(not set)</source>
            <translation>(не задано)</translation>
        </message>
        <message>
            <source>field name, e.g. vessel</source>
            <translation>название поля, например «судно»</translation>
        </message>
        <message>
            <source>value</source>
            <translation>значение</translation>
        </message>
        <message>
            <source>Add field</source>
            <translation>Добавить поле</translation>
        </message>
        <message>
            <source>Free fields</source>
            <translation>Свои поля</translation>
        </message>
        <message>
            <source>From the file</source>
            <translation>Из файла</translation>
        </message>
        <message>
            <source>{size} bytes</source>
            <translation>{size} байт</translation>
        </message>
    </context>
    <context>
        <name>OcrSettingsDialog</name>
        <message>
            <source>Russian</source>
            <extracomment>languages by their Tesseract code, in the order the dialog lists them</extracomment>
            <translation>Русский</translation>
        </message>
        <message>
            <source>Belarusian</source>
            <translation>Белорусский</translation>
        </message>
        <message>
            <source>Ukrainian</source>
            <translation>Украинский</translation>
        </message>
        <message>
            <source>Azerbaijani (Latin)</source>
            <translation>Азербайджанский (латиница)</translation>
        </message>
        <message>
            <source>Azerbaijani (Cyrillic)</source>
            <translation>Азербайджанский (кириллица)</translation>
        </message>
        <message>
            <source>English</source>
            <translation>Английский</translation>
        </message>
        <message>
            <source>Automatic (recommended)</source>
            <extracomment>the languages the leaked documents are written in: missing ones are named with their package</extracomment>
            <translation>Автоматически (рекомендуется)</translation>
        </message>
        <message>
            <source>Pages without a usable text layer: scans and photos.</source>
            <translation>Страницы без пригодного текстового слоя: сканы и фотографии.</translation>
        </message>
        <message>
            <source>Every page</source>
            <translation>Все страницы</translation>
        </message>
        <message>
            <source>Pages with a text layer too, so that words only in the image (a stamp, a handwritten note) are found as well. Much slower.</source>
            <translation>И страницы с текстовым слоем, чтобы находились и слова, которые есть только на изображении (печать, рукописная пометка). Намного медленнее.</translation>
        </message>
        <message>
            <source>Never</source>
            <translation>Никогда</translation>
        </message>
        <message>
            <source>No OCR: scanned pages stay unsearchable and show no entities.</source>
            <translation>Без OCR: по сканам нельзя искать, сущности на них не видны.</translation>
        </message>
        <message>
            <source>OCR settings</source>
            <translation>Настройки OCR</translation>
        </message>
        <message>
            <source>OCR needs Tesseract, which is not installed.</source>
            <translation>Для OCR нужен Tesseract, а он не установлен.</translation>
        </message>
        <message>
            <source>Until it is, scanned pages cannot be searched. Install it with this command, then start reviewer again:</source>
            <translation>Пока его нет, по сканам искать нельзя. Установите его этой командой и запустите reviewer снова:</translation>
        </message>
        <message>
            <source>not installed</source>
            <translation>не установлен</translation>
        </message>
        <message>
            <source>Not installed: {languages}. To read them, install their data, then start reviewer again:</source>
            <translation>Не установлены: {languages}. Чтобы читать на них, установите их данные и запустите reviewer снова:</translation>
        </message>
        <message>
            <source>Check only the languages the documents are in: each one more makes OCR slower. New settings apply to pages read from now on.</source>
            <translation>Отмечайте только языки, на которых написаны документы: каждый лишний замедляет OCR. Новые настройки действуют для страниц, прочитанных с этого момента.</translation>
        </message>
        <message>
            <source>When to OCR a page</source>
            <translation>Когда распознавать страницу</translation>
        </message>
        <message>
            <source>Languages</source>
            <translation>Языки</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Закрыть</translation>
        </message>
        <message>
            <source>Check at least one language: Tesseract needs to know what to read.</source>
            <translation>Отметьте хотя бы один язык: Tesseract должен знать, что читать.</translation>
        </message>
    </context>
    <context>
        <name>PageFirstLayout</name>
        <message>
            <source>Documents</source>
            <translation>Документы</translation>
        </message>
        <message>
            <source>Show the document list ({key})</source>
            <translation>Показать список документов ({key})</translation>
        </message>
        <message>
            <source>Panes</source>
            <translation>Панели</translation>
        </message>
        <message>
            <source>Show the panes ({key})</source>
            <translation>Показать панели ({key})</translation>
        </message>
    </context>
    <context>
        <name>PageStripModel</name>
        <message>
            <source>Page {number}</source>
            <translation>Страница {number}</translation>
        </message>
    </context>
    <context>
        <name>PageTextPane</name>
        <message>
            <source>Text layer</source>
            <translation>Текстовый слой</translation>
        </message>
        <message>
            <source>Not read yet</source>
            <translation>Ещё не прочитана</translation>
        </message>
        <message>
            <source>unknown languages</source>
            <translation>языки неизвестны</translation>
        </message>
        <message>
            <source>OCR done ({languages})</source>
            <translation>OCR выполнено ({languages})</translation>
        </message>
        <message>
            <source>, mean confidence {percent} %</source>
            <translation>, средняя уверенность {percent} %</translation>
        </message>
        <message>
            <source>No OCR needed: the page has a text layer</source>
            <translation>OCR не нужно: у страницы есть текстовый слой</translation>
        </message>
        <message>
            <source>OCR skipped: Tesseract is not installed — {hint}</source>
            <translation>OCR пропущено: Tesseract не установлен — {hint}</translation>
        </message>
        <message>
            <source>OCR skipped: OCR was turned off when the page was read</source>
            <translation>OCR пропущено: при чтении страницы OCR было выключено</translation>
        </message>
        <message>
            <source>no reason given</source>
            <translation>причина не указана</translation>
        </message>
        <message>
            <source>OCR failed: {reason}</source>
            <translation>OCR не удалось: {reason}</translation>
        </message>
        <message>
            <source>Which text of the page to show</source>
            <extracomment>how many places of the text shown the query matched</extracomment>
            <translation>Какой текст страницы показывать</translation>
        </message>
        <message>
            <source>Languages…</source>
            <translation>Языки…</translation>
        </message>
        <message>
            <source>The languages Tesseract reads this document in</source>
            <translation>Языки, на которых Tesseract читает этот документ</translation>
        </message>
        <message>
            <source>Read again with OCR</source>
            <translation>Перечитать с OCR</translation>
        </message>
        <message>
            <source>OCR every page of this document again, in its languages</source>
            <translation>Заново распознать все страницы документа на его языках</translation>
        </message>
        <message>
            <source>No text on this page</source>
            <translation>На этой странице нет текста</translation>
        </message>
        <message>
            <source>OCR languages of this document: {languages}</source>
            <translation>Языки OCR этого документа: {languages}</translation>
        </message>
        <message>
            <source>as the case</source>
            <translation>как в деле</translation>
        </message>
        <message>
            <source>Cancel reading</source>
            <translation>Прервать чтение</translation>
        </message>
        <message>
            <source>Reading the document again with OCR…</source>
            <translation>Перечитываем документ с OCR…</translation>
        </message>
        <message numerus="yes">
            <source>%n match(es)</source>
            <translation>
                <numerusform>%n совпадение</numerusform>
                <numerusform>%n совпадения</numerusform>
                <numerusform>%n совпадений</numerusform>
            </translation>
        </message>
        <message>
            <source>on this page, of a search for {query}</source>
            <translation>на этой странице, по запросу {query}</translation>
        </message>
        <message>
            <source>Stopping after the pages being read…</source>
            <translation>Остановка после страниц, которые уже читаются…</translation>
        </message>
        <message>
            <source>Reading again with OCR: {done} of {total} pages</source>
            <translation>Перечитываем с OCR: {done} из {total} страниц</translation>
        </message>
        <message numerus="yes">
            <source>OCR failed on %n page(s): {first}</source>
            <translation>
                <numerusform>OCR не удалось на %n странице: {first}</numerusform>
                <numerusform>OCR не удалось на %n страницах: {first}</numerusform>
                <numerusform>OCR не удалось на %n страницах: {first}</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Stopped: %n page(s) read again</source>
            <translation>
                <numerusform>Остановлено: перечитана %n страница</numerusform>
                <numerusform>Остановлено: перечитано %n страницы</numerusform>
                <numerusform>Остановлено: перечитано %n страниц</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>PageView</name>
        <message>
            <source>No document selected</source>
            <translation>Документ не выбран</translation>
        </message>
        <message>
            <source>This document has no pages</source>
            <translation>В этом документе нет страниц</translation>
        </message>
        <message>
            <source>page {page}: no content could be read from the file</source>
            <translation>страница {page}: из файла не удалось прочитать содержимое</translation>
        </message>
        <message>
            <source>page {page}: it could not be read from the file</source>
            <translation>страница {page}: её не удалось прочитать из файла</translation>
        </message>
        <message>
            <source>Annotate selection</source>
            <translation>Аннотировать выделенное</translation>
        </message>
        <message>
            <source>Redact selection</source>
            <translation>Скрыть выделенное</translation>
        </message>
        <message>
            <source>Copy text</source>
            <translation>Копировать текст</translation>
        </message>
    </context>
    <context>
        <name>PaneTabs</name>
        <message>
            <source>Status</source>
            <translation>Статус</translation>
        </message>
        <message>
            <source>Verification status, rationale and checklist</source>
            <translation>Статус проверки, обоснование и контрольный список</translation>
        </message>
        <message>
            <source>Notes</source>
            <translation>Заметки</translation>
        </message>
        <message>
            <source>Annotations: marked regions with notes, transcriptions, translations</source>
            <translation>Аннотации: отмеченные области с заметками, расшифровками, переводами</translation>
        </message>
        <message>
            <source>Fields</source>
            <translation>Поля</translation>
        </message>
        <message>
            <source>Metadata: what the document is, and what its file says</source>
            <translation>Метаданные: что это за документ и что говорит его файл</translation>
        </message>
        <message>
            <source>Sources</source>
            <translation>Источники</translation>
        </message>
        <message>
            <source>Provenance: where the bytes were found, and the custody log</source>
            <translation>Происхождение: где найдены эти байты, и журнал хранения</translation>
        </message>
        <message>
            <source>Text</source>
            <translation>Текст</translation>
        </message>
        <message>
            <source>The text of the page: text layer and OCR</source>
            <translation>Текст страницы: текстовый слой и OCR</translation>
        </message>
        <message>
            <source>Entities</source>
            <translation>Сущности</translation>
        </message>
        <message>
            <source>Dates, reference numbers, amounts and watched terms</source>
            <translation>Даты, исходящие номера, суммы и наблюдаемые термины</translation>
        </message>
        <message>
            <source>Links</source>
            <translation>Связи</translation>
        </message>
        <message>
            <source>Links to other documents, and suggested ones</source>
            <translation>Связи с другими документами и предложенные связи</translation>
        </message>
        <message>
            <source>Forensics</source>
            <translation>Анализ</translation>
        </message>
        <message>
            <source>What the file's structure, metadata and pixels say; region search</source>
            <translation>Что говорят структура файла, метаданные и пиксели; поиск области</translation>
        </message>
    </context>
    <context>
        <name>ProvenancePane</name>
        <message>
            <source>Document</source>
            <translation>Документ</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>Дата</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Статус</translation>
        </message>
        <message>
            <source>Term</source>
            <translation>Термин</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>Вид</translation>
        </message>
        <message>
            <source>Also written</source>
            <translation>Также пишется</translation>
        </message>
        <message>
            <source>Source</source>
            <extracomment>the sightings' columns said under the table, for the sighting chosen, rather than squeezed beside it</extracomment>
            <translation>Источник</translation>
        </message>
        <message>
            <source>Received</source>
            <translation>Получено</translation>
        </message>
        <message>
            <source>File</source>
            <translation>Файл</translation>
        </message>
        <message>
            <source>Modified</source>
            <translation>Изменён</translation>
        </message>
        <message>
            <source>Imported</source>
            <translation>Импортирован</translation>
        </message>
        <message>
            <source>{when} by {who}</source>
            <translation>{when}, {who}</translation>
        </message>
        <message>
            <source>not known</source>
            <translation>неизвестно</translation>
        </message>
        <message>
            <source>{date}: double-click to change (YYYY-MM-DD; empty: not known)</source>
            <translation>{date}: двойной щелчок, чтобы изменить (ГГГГ-ММ-ДД; пусто — неизвестно)</translation>
        </message>
        <message>
            <source>When (UTC)</source>
            <translation>Когда (UTC)</translation>
        </message>
        <message>
            <source>Who</source>
            <translation>Кто</translation>
        </message>
        <message>
            <source>What</source>
            <translation>Что</translation>
        </message>
        <message>
            <source>&lt;b&gt;Sightings&lt;/b&gt;: every place these exact bytes were found (double-click a source or date)</source>
            <translation>&lt;b&gt;Находки&lt;/b&gt;: все места, где найдены в точности эти байты (двойной щелчок по источнику или дате)</translation>
        </message>
        <message>
            <source>&lt;b&gt;Custody log&lt;/b&gt;: append-only, hash-chained</source>
            <translation>&lt;b&gt;Журнал хранения&lt;/b&gt;: только дополняется, записи сцеплены хешами</translation>
        </message>
        <message>
            <source>Sightings: {sightings}, from {sources}; custody entries: {events}.</source>
            <translation>Находок: {sightings}, источники: {sources}; записей в журнале хранения: {events}.</translation>
        </message>
        <message>
            <source>no named source</source>
            <translation>не названы</translation>
        </message>
    </context>
    <context>
        <name>RationaleDialog</name>
        <message>
            <source>Mark as {status}</source>
            <extracomment>statuses that are a verdict, and so need a reason</extracomment>
            <translation>Отметить: {status}</translation>
        </message>
        <message>
            <source>Why is this document {status}?</source>
            <translation>Почему у этого документа статус {status}?</translation>
        </message>
        <message numerus="yes">
            <source>Why are these %n documents {status}?</source>
            <translation>
                <numerusform>Почему у этого %n документа статус {status}?</numerusform>
                <numerusform>Почему у этих %n документов статус {status}?</numerusform>
                <numerusform>Почему у этих %n документов статус {status}?</numerusform>
            </translation>
        </message>
        <message>
            <source>What you checked, against what, and what you found</source>
            <translation>Что вы проверили, по чему и что обнаружили</translation>
        </message>
        <message>
            <source>The rationale goes on the custody log with the status, and into exports.</source>
            <translation>Обоснование записывается в журнал хранения вместе со статусом и попадает в экспорт.</translation>
        </message>
    </context>
    <context>
        <name>ReadingStatus</name>
        <message>
            <source>{n} s</source>
            <translation>{n} с</translation>
        </message>
        <message>
            <source>{n} min</source>
            <translation>{n} мин</translation>
        </message>
        <message>
            <source>{n} h</source>
            <translation>{n} ч</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Отмена</translation>
        </message>
        <message>
            <source>Stop reading; it goes on from here next time</source>
            <translation>Остановить чтение; в следующий раз оно продолжится с этого места</translation>
        </message>
        <message>
            <source>Reading pages…</source>
            <translation>Чтение страниц…</translation>
        </message>
        <message>
            <source>Stopping…</source>
            <translation>Остановка…</translation>
        </message>
        <message>
            <source>, about {duration} left</source>
            <translation>, осталось около {duration}</translation>
        </message>
        <message>
            <source>Reading pages {done}/{total}, OCR {ocr}</source>
            <translation>Чтение страниц {done}/{total}, OCR {ocr}</translation>
        </message>
    </context>
    <context>
        <name>RegionItem</name>
        <message>
            <source>Redaction</source>
            <translation>Скрытие</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>Заметка</translation>
        </message>
        <message>
            <source>page {page}</source>
            <translation>страница {page}</translation>
        </message>
        <message>
            <source>Transcription: </source>
            <translation>Расшифровка: </translation>
        </message>
        <message>
            <source>Translation: </source>
            <translation>Перевод: </translation>
        </message>
        <message>
            <source>Tags: </source>
            <translation>Метки: </translation>
        </message>
    </context>
    <context>
        <name>RegionSearchPanel</name>
        <message>
            <source>Find elsewhere</source>
            <translation>Найти в других местах</translation>
        </message>
        <message>
            <source>Look for this annotated region on every page of the case: at another place, 0.3–3 times the size, turned up to 15°, on a page photographed at an angle</source>
            <translation>Искать эту отмеченную область на всех страницах дела: в другом месте, в масштабе 0,3–3, с поворотом до 15°, на странице, снятой под углом</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Отмена</translation>
        </message>
        <message>
            <source>Mark the chosen place as an annotation on that document, saying what it matched</source>
            <translation>Отметить выбранное место аннотацией в том документе с указанием, с чем оно совпало</translation>
        </message>
        <message>
            <source>The annotated region and the chosen place side by side, at the same scale</source>
            <translation>Отмеченная область и выбранное место рядом, в одном масштабе</translation>
        </message>
        <message>
            <source>Annotate a stamp, signature or letterhead to look for it elsewhere.</source>
            <translation>Отметьте печать, подпись или бланк, чтобы искать их в других документах.</translation>
        </message>
        <message>
            <source>Region search</source>
            <translation>Поиск области</translation>
        </message>
        <message>
            <source>no note</source>
            <translation>без заметки</translation>
        </message>
        <message>
            <source>p. {page}: {words}</source>
            <translation>с. {page}: {words}</translation>
        </message>
        <message>
            <source>Searching every page of the case…</source>
            <translation>Поиск по всем страницам дела…</translation>
        </message>
        <message>
            <source>Annotated</source>
            <translation>Отмечено</translation>
        </message>
        <message>
            <source>annotated region</source>
            <translation>отмеченная область</translation>
        </message>
        <message>
            <source>Searching: {done} of {total} pages</source>
            <translation>Поиск: {done} из {total} страниц</translation>
        </message>
        <message>
            <source>Search cancelled.</source>
            <translation>Поиск отменён.</translation>
        </message>
        <message>
            <source>Found in {places}; double-click one to open it.</source>
            <translation>Найдено в {places}; двойной щелчок открывает место.</translation>
        </message>
        <message>
            <source>Not found anywhere else in the case.</source>
            <translation>Больше нигде в деле не найдено.</translation>
        </message>
        <message>
            <source>Annotate</source>
            <translation>Отметить</translation>
        </message>
        <message>
            <source>Compare</source>
            <translation>Сравнить</translation>
        </message>
    </context>
    <context>
        <name>SearchPanel</name>
        <message>
            <source>Search all pages: words, "a phrase", prefix*, AND / OR / NOT, 12-05/1174 as written</source>
            <extracomment>typing pauses this long (ms) before the search runs by itself searching by itself waits for this many characters; Enter searches for anything</extracomment>
            <translation>Поиск по всем страницам: слова, "фраза", начало*, AND / OR / NOT, 12-05/1174 как написано</translation>
        </message>
        <message>
            <source>Nothing found</source>
            <translation>Ничего не найдено</translation>
        </message>
        <message numerus="yes">
            <source>in %n document(s)</source>
            <translation>
                <numerusform>в %n документе</numerusform>
                <numerusform>в %n документах</numerusform>
                <numerusform>в %n документах</numerusform>
            </translation>
        </message>
        <message>
            <source>{places}+ places {in_documents}</source>
            <translation>{places}+ мест {in_documents}</translation>
        </message>
        <message numerus="yes">
            <source>%n place(s) {in_documents}</source>
            <translation>
                <numerusform>%n место {in_documents}</numerusform>
                <numerusform>%n места {in_documents}</numerusform>
                <numerusform>%n мест {in_documents}</numerusform>
            </translation>
        </message>
        <message>
            <source>Words match in any case and with or without accents; ё = е.
"a phrase" keeps its words in order; prefix* finds words that begin so.
AND (the default), OR, NOT or -word, with parentheses.
Reference numbers as they are written: 12-05/1174, ЭП-078/1133-19.</source>
            <translation>Слова находятся в любом регистре, с диакритикой и без; ё = е.
"фраза" — слова в этом порядке; начало* — слова, которые так начинаются.
AND (по умолчанию), OR, NOT или -слово, со скобками.
Исходящие номера — как написаны: 12-05/1174, ЭП-078/1133-19.</translation>
        </message>
    </context>
    <context>
        <name>SearchResultsModel</name>
        <message>
            <source>p. {page}</source>
            <translation>с. {page}</translation>
        </message>
        <message>
            <source>OCR p. {page}</source>
            <translation>OCR с. {page}</translation>
        </message>
        <message>
            <source>note p. {page}</source>
            <translation>заметка с. {page}</translation>
        </message>
        <message>
            <source>note</source>
            <translation>заметка</translation>
        </message>
        <message>
            <source>description</source>
            <translation>описание</translation>
        </message>
        <message>
            <source>{n}+ places</source>
            <translation>{n}+ мест</translation>
        </message>
        <message numerus="yes">
            <source>%n place(s)</source>
            <translation>
                <numerusform>%n место</numerusform>
                <numerusform>%n места</numerusform>
                <numerusform>%n мест</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>StoreCheck</name>
        <message>
            <source>Every file in the case's store is recorded by a document.</source>
            <translation>Каждый файл в хранилище дела учтён каким-либо документом.</translation>
        </message>
        <message numerus="yes">
            <source>%n file(s) in the case's store are not recorded by any document. reviewer removed nothing: they may be originals whose record was lost (a database restored from an older copy) or files put there by hand. Move them to the case's quarantine folder, where they stay until you decide?</source>
            <translation>
                <numerusform>%n файл в хранилище дела не учтён ни одним документом. reviewer ничего не удалил: это могут быть оригиналы, запись о которых утрачена (база восстановлена из более старой копии), или файлы, положенные туда вручную. Переместить их в папку карантина дела, где они останутся, пока вы не решите?</numerusform>
                <numerusform>%n файла в хранилище дела не учтены ни одним документом. reviewer ничего не удалил: это могут быть оригиналы, запись о которых утрачена (база восстановлена из более старой копии), или файлы, положенные туда вручную. Переместить их в папку карантина дела, где они останутся, пока вы не решите?</numerusform>
                <numerusform>%n файлов в хранилище дела не учтены ни одним документом. reviewer ничего не удалил: это могут быть оригиналы, запись о которых утрачена (база восстановлена из более старой копии), или файлы, положенные туда вручную. Переместить их в папку карантина дела, где они останутся, пока вы не решите?</numerusform>
            </translation>
        </message>
        <message>
            <source>Move to quarantine</source>
            <translation>Переместить в карантин</translation>
        </message>
        <message>
            <source>Leave them</source>
            <translation>Оставить</translation>
        </message>
        <message numerus="yes">
            <source>%n file(s) moved to the case's quarantine folder; nothing was removed</source>
            <translation>
                <numerusform>%n файл перемещён в папку карантина дела; ничего не удалено</numerusform>
                <numerusform>%n файла перемещены в папку карантина дела; ничего не удалено</numerusform>
                <numerusform>%n файлов перемещены в папку карантина дела; ничего не удалено</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>TimelineCanvas</name>
        <message>
            <source>Timeline</source>
            <translation>Хронология</translation>
        </message>
    </context>
    <context>
        <name>TimelineView</name>
        <message>
            <source>Click a document, or move with ← →  ·  Ctrl+wheel or + − to zoom  ·  drag to pan  ·  Home shows all</source>
            <translation>Щёлкните документ или листайте ← →  ·  Ctrl+колесо или + − — масштаб  ·  перетаскивание — сдвиг  ·  Home — всё</translation>
        </message>
        <message>
            <source>Zoom out (−)</source>
            <translation>Мельче (−)</translation>
        </message>
        <message>
            <source>Zoom in (+)</source>
            <translation>Крупнее (+)</translation>
        </message>
        <message>
            <source>Fit all</source>
            <translation>Всё</translation>
        </message>
        <message>
            <source>Show every dated document (Home)</source>
            <translation>Показать все датированные документы (Home)</translation>
        </message>
        <message>
            <source>No date: {count}</source>
            <translation>Без даты: {count}</translation>
        </message>
        <message>
            <source>Not on the timeline, for want of a document date: </source>
            <translation>Нет на хронологии, потому что у документа нет даты: </translation>
        </message>
        <message>
            <source>(month only)</source>
            <translation>(только месяц)</translation>
        </message>
        <message>
            <source>(year only)</source>
            <translation>(только год)</translation>
        </message>
        <message>
            <source>month only</source>
            <translation>только месяц</translation>
        </message>
        <message>
            <source>year only</source>
            <translation>только год</translation>
        </message>
        <message>
            <source>{label}: {count} documents</source>
            <translation>{label}: документов — {count}</translation>
        </message>
        <message>
            <source>and {more} more</source>
            <translation>и ещё {more}</translation>
        </message>
        <message>
            <source>Click to zoom in</source>
            <translation>Щёлкните, чтобы приблизить</translation>
        </message>
        <message>
            <source>Click for the first</source>
            <translation>Щёлкните, чтобы открыть первый</translation>
        </message>
        <message>
            <source>No dated documents to show</source>
            <translation>Нет датированных документов</translation>
        </message>
        <message>
            <source> — counted per month and year</source>
            <translation> — по месяцам и годам</translation>
        </message>
        <message>
            <source>Dated to the month or year</source>
            <translation>Дата с точностью до месяца или года</translation>
        </message>
        <message>
            <source> — counted</source>
            <translation> — подсчёт</translation>
        </message>
        <message>
            <source>Dated to the day</source>
            <translation>Дата с точностью до дня</translation>
        </message>
    </context>
    <context>
        <name>UnlockBar</name>
        <message>
            <source>🔒 This document is encrypted: its pages open with its password.</source>
            <translation>🔒 Документ зашифрован: его страницы открываются паролем.</translation>
        </message>
        <message>
            <source>Unlock…</source>
            <extracomment>the document's id once its pages are readable a one-line reason the unlock failed (a wrong password)</extracomment>
            <translation>Разблокировать…</translation>
        </message>
        <message>
            <source>Unlock document</source>
            <translation>Разблокировать документ</translation>
        </message>
        <message>
            <source>The password of document {id}:</source>
            <translation>Пароль документа {id}:</translation>
        </message>
    </context>
    <context>
        <name>VerificationPane</name>
        <message>
            <source>Why: what you checked, against what, and what you found</source>
            <translation>Почему: что вы проверили, по чему и что обнаружили</translation>
        </message>
        <message>
            <source>n/a</source>
            <translation>н/п</translation>
        </message>
        <message>
            <source>note</source>
            <translation>заметка</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Статус</translation>
        </message>
        <message>
            <source>Rationale</source>
            <translation>Обоснование</translation>
        </message>
        <message>
            <source>Checklist</source>
            <translation>Контрольный список</translation>
        </message>
    </context>
    <context>
        <name>WatchTermDialog</name>
        <message>
            <source>Add to the watch-list</source>
            <translation>Добавить в список наблюдения</translation>
        </message>
        <message>
            <source>Found whatever its case or grammatical ending (Белнефтехима, Белнефтехимом), and across line breaks. Every page of the case is searched again.</source>
            <translation>Находится в любом падеже и с любым окончанием (Белнефтехима, Белнефтехимом), в том числе через перенос строки. Все страницы дела просматриваются заново.</translation>
        </message>
        <message>
            <source>Add</source>
            <translation>Добавить</translation>
        </message>
        <message>
            <source>Term</source>
            <translation>Термин</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>Вид</translation>
        </message>
        <message>
            <source>Also written</source>
            <translation>Также пишется</translation>
        </message>
    </context>
    <context>
        <name>WelcomeWindow</name>
        <message>
            <source>Verify leaked documents, offline.</source>
            <translation>Проверка утёкших документов, без сети.</translation>
        </message>
        <message>
            <source>A case holds the files of one leak, byte for byte, with where each came from, what you found on every page, and why you believe it.</source>
            <translation>Дело хранит файлы одной утечки байт в байт, вместе с тем, откуда получен каждый, что вы нашли на каждой странице и почему вы так считаете.</translation>
        </message>
        <message>
            <source>New case…</source>
            <translation>Новое дело…</translation>
        </message>
        <message>
            <source>Open a case…</source>
            <translation>Открыть дело…</translation>
        </message>
        <message>
            <source>Open the demo case</source>
            <translation>Открыть демонстрационное дело</translation>
        </message>
        <message>
            <source>Double-click or press Enter to open a case</source>
            <translation>Двойной щелчок или Enter открывает дело</translation>
        </message>
        <message>
            <source>not found</source>
            <translation>не найдено</translation>
        </message>
        <message>
            <source>Recent cases</source>
            <translation>Недавние дела</translation>
        </message>
    </context>
    <context>
        <name>Words</name>
        <message>
            <source>Unverified</source>
            <translation>Не проверено</translation>
        </message>
        <message>
            <source>In review</source>
            <translation>На проверке</translation>
        </message>
        <message>
            <source>Verified</source>
            <translation>Проверено</translation>
        </message>
        <message>
            <source>Disputed</source>
            <translation>Оспорено</translation>
        </message>
        <message>
            <source>Fabricated</source>
            <translation>Сфабриковано</translation>
        </message>
        <message>
            <source>diplomatic note</source>
            <translation>дипломатическая нота</translation>
        </message>
        <message>
            <source>letter</source>
            <translation>письмо</translation>
        </message>
        <message>
            <source>export passport</source>
            <translation>экспортный паспорт</translation>
        </message>
        <message>
            <source>bill of sale</source>
            <translation>договор купли-продажи</translation>
        </message>
        <message>
            <source>invoice</source>
            <translation>счёт-фактура</translation>
        </message>
        <message>
            <source>contract</source>
            <translation>контракт</translation>
        </message>
        <message>
            <source>other</source>
            <translation>другое</translation>
        </message>
        <message>
            <source>Letterhead</source>
            <translation>Бланк</translation>
        </message>
        <message>
            <source>Reference-number format</source>
            <translation>Формат исходящего номера</translation>
        </message>
        <message>
            <source>Signatory</source>
            <translation>Подписант</translation>
        </message>
        <message>
            <source>Stamp or seal</source>
            <translation>Штамп или печать</translation>
        </message>
        <message>
            <source>Dates consistent</source>
            <translation>Даты согласуются</translation>
        </message>
        <message>
            <source>Matches other documents</source>
            <translation>Совпадает с другими документами</translation>
        </message>
        <message>
            <source>Confirmed by an outside source</source>
            <translation>Подтверждено внешним источником</translation>
        </message>
        <message>
            <source>not checked</source>
            <translation>не проверено</translation>
        </message>
        <message>
            <source>consistent</source>
            <translation>согласуется</translation>
        </message>
        <message>
            <source>doubtful</source>
            <translation>сомнительно</translation>
        </message>
        <message>
            <source>inconsistent</source>
            <translation>не согласуется</translation>
        </message>
        <message>
            <source>not applicable</source>
            <translation>неприменимо</translation>
        </message>
        <message>
            <source>Title</source>
            <translation>Название</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Тип</translation>
        </message>
        <message>
            <source>Document date</source>
            <translation>Дата документа</translation>
        </message>
        <message>
            <source>Reference number</source>
            <translation>Исходящий номер</translation>
        </message>
        <message>
            <source>Issuer</source>
            <translation>Отправитель</translation>
        </message>
        <message>
            <source>Recipient</source>
            <translation>Получатель</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>Язык</translation>
        </message>
        <message>
            <source>references</source>
            <translation>ссылается на</translation>
        </message>
        <message>
            <source>replies to</source>
            <translation>отвечает на</translation>
        </message>
        <message>
            <source>attachment of</source>
            <translation>приложение к</translation>
        </message>
        <message>
            <source>same series</source>
            <translation>из той же серии</translation>
        </message>
        <message>
            <source>contradicts</source>
            <translation>противоречит</translation>
        </message>
        <message>
            <source>referenced by</source>
            <translation>упоминается в</translation>
        </message>
        <message>
            <source>replied to by</source>
            <translation>получил ответ в</translation>
        </message>
        <message>
            <source>has attachment</source>
            <translation>имеет приложение</translation>
        </message>
        <message>
            <source>contradicted by</source>
            <translation>опровергается</translation>
        </message>
        <message>
            <source>note</source>
            <translation>заметка</translation>
        </message>
        <message>
            <source>redaction</source>
            <translation>скрытие</translation>
        </message>
        <message>
            <source>organisation</source>
            <translation>организация</translation>
        </message>
        <message>
            <source>person</source>
            <translation>человек</translation>
        </message>
        <message>
            <source>equipment</source>
            <translation>техника</translation>
        </message>
        <message>
            <source>Warning</source>
            <translation>Предупреждение</translation>
        </message>
        <message>
            <source>Notice</source>
            <translation>Замечание</translation>
        </message>
        <message>
            <source>Information</source>
            <translation>Сведения</translation>
        </message>
    </context>
    <context>
        <name>WorkingTogether</name>
        <message>
            <source>Also here: {names}</source>
            <translation>Здесь также: {names}</translation>
        </message>
        <message>
            <source>{name}, since {time}</source>
            <translation>{name}, с {time}</translation>
        </message>
        <message>
            <source>Others with this case open in a window:</source>
            <translation>Кто ещё открыл это дело в окне:</translation>
        </message>
        <message>
            <source>Reconnecting to the case database… others' changes show once it is back</source>
            <translation>Снова подключаюсь к базе дела… изменения других появятся, когда связь вернётся</translation>
        </message>
        <message>
            <source>Connected to the case database again</source>
            <translation>Связь с базой дела восстановлена</translation>
        </message>
    </context>
    <context>
        <name>merge</name>
        <message>
            <source>Merge an evidence bundle</source>
            <translation>Объединить с пакетом доказательств</translation>
        </message>
        <message>
            <source>Bundles (*.zip);;All files (*)</source>
            <translation>Пакеты (*.zip);;Все файлы (*)</translation>
        </message>
        <message>
            <source>New documents: {new}; already here: {matched}; annotations added: {added}.</source>
            <translation>Новых документов: {new}; уже были: {matched}; добавлено аннотаций: {added}.</translation>
        </message>
        <message>
            <source>Bundle merged</source>
            <translation>Пакет объединён</translation>
        </message>
    </context>
</TS>
